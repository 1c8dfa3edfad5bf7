/**
 * A pure function with its last results remembered: beyond `limit` distinct arguments the
 * oldest is forgotten first, so memory stays bounded whatever the input. For the call path's
 * small pure costs paid again and again on the same values (a caller ID's parse, a number's
 * mask, a wall timestamp's text). The function must not depend on anything but its argument.
 */
export function boundedMemo<K, V>(fn: (arg: K) => V, limit: number): (arg: K) => V {
  const known = new Map<K, V>();
  return (arg) => {
    if (known.has(arg)) return known.get(arg) as V;
    const value = fn(arg);
    if (known.size >= limit) known.delete(known.keys().next().value as K);
    known.set(arg, value);
    return value;
  };
}
