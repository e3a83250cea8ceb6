/**
 * Saves bytes as a file download (a mesh exported as .zip, a query result as CSV): the web
 * app's "Save as" where no folder is open.
 */
export function downloadBytes(bytes: Uint8Array, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = safeFileName(fileName);
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in Firefox and Safari; a minute is plenty for the browser to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Characters no desktop file system accepts in a name become "-". */
function safeFileName(name: string): string {
  const safe = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '/\\:*?"<>|'.includes(c) ? '-' : c))
    .join('')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  return safe === '' ? 'download' : safe;
}
