/**
 * A value made on its first use and kept: schemas only some calls parse with are made this way, so a cold start that
 * never makes those calls does not build them. Zod builds each schema's parts as it is made (the data worker's
 * first-screen code spent more time building schemas than in any of its reads, issue 14).
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
