/** A rating as five stars, with its words for assistive technology ("4.5 of 5 stars from 6 ratings"). */
/** `single`: one person's rating, shown as stars alone. */
export function Stars({
  mean,
  count,
  single = false,
}: {
  readonly mean?: number | undefined;
  readonly count: number;
  readonly single?: boolean;
}) {
  if (mean === undefined || count === 0)
    return (
      <span className="stars stars-none" data-testid="rating" data-count={0}>
        no ratings yet
      </span>
    );
  const rounded = Math.round(mean * 2) / 2;
  const shown = Number.isInteger(mean) ? String(mean) : mean.toFixed(1);
  const words = single ? `${shown} of 5 stars` : `${shown} of 5 stars from ${count} rating${count === 1 ? '' : 's'}`;
  return (
    <span className="stars" role="img" aria-label={words} title={words} data-testid="rating" data-mean={mean.toFixed(2)} data-count={count}>
      <span aria-hidden="true">
        {[1, 2, 3, 4, 5].map((i) => (
          <span key={i} className={i <= rounded ? 'star star-on' : i - 0.5 === rounded ? 'star star-half' : 'star'}>
            ★
          </span>
        ))}
      </span>
      {!single && (
        <span className="stars-count" aria-hidden="true">
          {mean.toFixed(1)} ({count})
        </span>
      )}
    </span>
  );
}
