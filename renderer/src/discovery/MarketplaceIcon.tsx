/** The marketplace's toolbar icon (a shop front), drawn like components/icons.tsx: 24×24 strokes in currentColor. */
export function MarketplaceIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M3 9 4.5 4h15L21 9M3 9v1.5a3 3 0 0 0 6 0 3 3 0 0 0 6 0 3 3 0 0 0 6 0V9M3 9h18M5 13v7h14v-7M10 20v-4h4v4" />
    </svg>
  );
}
