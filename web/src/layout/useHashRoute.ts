import { useEffect, useState } from 'react';

export type Route =
  | 'live'
  | 'desktop'
  | 'customers'
  | 'users'
  | 'queues'
  | 'dispositions'
  | 'access-audit'
  | 'qa-samples'
  | 'qa-queue'
  | 'qa-review'
  | 'qa-results'
  | 'my-evaluations'
  | 'campaigns'
  | 'reports';
const ROUTES: Route[] = [
  'live',
  'desktop',
  'customers',
  'users',
  'queues',
  'dispositions',
  'access-audit',
  'qa-samples',
  'qa-queue',
  'qa-review',
  'qa-results',
  'my-evaluations',
  'campaigns',
  'reports',
];

interface Location {
  route: Route;
  /** What follows the route: `#/qa-review/<callId>` → the call id. */
  param: string | null;
}

function current(): Location {
  const [name, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
  const param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return ROUTES.includes(name as Route)
    ? { route: name as Route, param }
    : { route: 'desktop', param: null };
}

/** Pages by `#/name` (or `#/name/param`), so that reload keeps the page and the back button works. */
export function useHashRoute(): [Route, (r: Route, param?: string) => void, string | null] {
  const [loc, setLoc] = useState<Location>(current);
  useEffect(() => {
    const onHash = () => setLoc(current());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = (r: Route, param?: string) =>
    (window.location.hash = param ? `#/${r}/${encodeURIComponent(param)}` : `#/${r}`);
  return [loc.route, navigate, loc.param];
}
