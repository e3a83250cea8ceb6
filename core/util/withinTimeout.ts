/**
 * `work`, or a rejection with `expired()` once `ms` have passed. The work itself cannot be
 * stopped (a file read, a seed read): it settles later, and its outcome is nobody's concern.
 */
export async function withinTimeout<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
