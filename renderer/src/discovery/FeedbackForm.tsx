import { useId, useState, type FormEvent } from 'react';
import type { Mesh } from '../../../core/model/types.ts';

/** One feedback entry as the form gives it; the caller adds the product and the date. */
export interface FeedbackDraft {
  readonly team?: string;
  readonly persona?: string;
  readonly port?: string;
  readonly rating: number;
  readonly comment?: string;
}

const LABELS = ['', 'poor', 'fair', 'good', 'very good', 'excellent'] as const;

/**
 * Feedback from a consumer: a rating of 1 to 5 (radio stars), who gives it (a team or a persona
 * of mesh.yaml), optionally the port, and a comment. It is written to the mesh's
 * feedback/<product>.feedback.yaml as an edit: undo and autosave treat it like any other.
 */
export function FeedbackForm({
  mesh,
  product,
  ports,
  onSubmit,
}: {
  readonly mesh: Mesh;
  readonly product: string;
  readonly ports: readonly string[];
  readonly onSubmit: (draft: FeedbackDraft) => string | undefined;
}) {
  const id = useId();
  const teams = mesh.manifest?.teams ?? [];
  const personas = mesh.manifest?.personas ?? [];
  const [rating, setRating] = useState(0);
  const [who, setWho] = useState(teams[0] ? `team:${teams[0].id}` : personas[0] ? `persona:${personas[0].id}` : '');
  const [port, setPort] = useState('');
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ readonly ok: boolean; readonly text: string } | undefined>();
  if (teams.length === 0 && personas.length === 0)
    return <p className="hint">mesh.yaml declares no teams or personas: add one to give feedback as it.</p>;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (rating < 1) {
      setMessage({ ok: false, text: 'Choose a rating from 1 to 5 stars.' });
      return;
    }
    const [kind, whoId] = who.split(/:(.*)/s);
    const draft: FeedbackDraft = {
      ...(kind === 'team' ? { team: whoId ?? '' } : { persona: whoId ?? '' }),
      ...(port ? { port } : {}),
      rating,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    };
    const refused = onSubmit(draft);
    if (refused) setMessage({ ok: false, text: refused });
    else {
      setMessage({ ok: true, text: `Thank you: ${rating}★ recorded for ${product}.` });
      setRating(0);
      setComment('');
    }
  };

  return (
    <form className="feedback-form" aria-label="Leave feedback" data-testid="feedback-form" onSubmit={submit}>
      <h4>Leave feedback</h4>
      <fieldset className="star-input">
        <legend>Rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={n <= rating ? 'star-on' : ''} title={`${n} — ${LABELS[n]}`}>
            <input type="radio" name={`${id}-rating`} value={n} checked={rating === n} onChange={() => setRating(n)} />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">
              {n} star{n === 1 ? '' : 's'} ({LABELS[n]})
            </span>
          </label>
        ))}
      </fieldset>
      <div className="feedback-fields">
        <label>
          <span>From</span>
          <select value={who} onChange={(e) => setWho(e.target.value)}>
            {teams.length > 0 && (
              <optgroup label="Teams">
                {teams.map((t) => (
                  <option key={t.id} value={`team:${t.id}`}>
                    {t.name || t.id}
                  </option>
                ))}
              </optgroup>
            )}
            {personas.length > 0 && (
              <optgroup label="Personas">
                {personas.map((p) => (
                  <option key={p.id} value={`persona:${p.id}`}>
                    {p.name || p.id}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label>
          <span>Port</span>
          <select value={port} onChange={(e) => setPort(e.target.value)}>
            <option value="">the whole product</option>
            {ports.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="feedback-comment">
        <span>Comment (optional)</span>
        <textarea value={comment} maxLength={2000} rows={3} onChange={(e) => setComment(e.target.value)} />
      </label>
      <div className="feedback-actions">
        <button type="submit" className="primary">
          Send feedback
        </button>
        {message && (
          <span
            className={message.ok ? 'feedback-ok' : 'feedback-error'}
            role={message.ok ? 'status' : 'alert'}
            data-testid="feedback-message"
          >
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}
