// Gateway API hostname matching: does a route hostname intersect a listener hostname? A hostname
// prefixed with a wildcard label (`*.example.com`) is a suffix match of one or more labels: it
// matches `a.example.com` and `b.a.example.com`, never `example.com`. An absent hostname matches all.

export function hostnamesIntersect(listener: string | undefined, route: string | undefined): boolean {
  if (!listener || !route) return true;
  const a = listener.toLowerCase();
  const b = route.toLowerCase();
  const wild = (h: string) => h.startsWith('*.');
  const suffix = (h: string) => h.slice(1); // `.example.com`
  if (!wild(a) && !wild(b)) return a === b;
  if (wild(a) && !wild(b)) return b.endsWith(suffix(a));
  if (!wild(a) && wild(b)) return a.endsWith(suffix(b));
  return a.endsWith(suffix(b)) || b.endsWith(suffix(a));
}
