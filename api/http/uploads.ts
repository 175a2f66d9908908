/**
 * Routes that take files get a larger body limit than the JSON default; everything else keeps
 * `MAX_BODY_BYTES`. The limit covers the whole multipart body, so it sits a little above the
 * largest file the route accepts (the route itself checks the file's own size).
 */
export const UPLOAD_LIMITS: ReadonlyArray<{ method: string; path: RegExp; maxBytes: number; what: string }> = [
  { method: 'POST', path: /^\/api\/grid-reports$/, maxBytes: 6 * 1024 * 1024, what: 'a photo of at most 5 MB' },
  { method: 'POST', path: /^\/api\/volunteering$/, maxBytes: 6 * 1024 * 1024, what: 'a photo of at most 5 MB' },
  { method: 'POST', path: /^\/api\/volunteering\/import$/, maxBytes: 10 * 1024 * 1024, what: 'a CSV file of at most 10 MB' },
  { method: 'POST', path: /^\/api\/safety-events$/, maxBytes: 8 * 1024 * 1024, what: 'a batch of at most 5,000 safety events' },
];

export function uploadLimitFor(method: string, path: string) {
  return UPLOAD_LIMITS.find((u) => u.method === method && u.path.test(path)) ?? null;
}
