/**
 * The abandon rate as US telemarketing rules measure it (47 CFR 64.1200(a)(7)): calls abandoned
 * (answered by a person, no agent within 2 s) divided by calls answered by a person, per campaign
 * over a rolling 30 days. Machine-answered and unanswered calls count neither way. Pure over the
 * rows the dialer loaded.
 */
export interface AbandonSample {
  at: number;
  answeredByPerson: boolean;
  abandoned: boolean;
}

export interface AbandonRate {
  /** abandoned ÷ answered, 0..1 (0 when nothing was answered). */
  rate: number;
  answered: number;
  abandoned: number;
}

const DAY = 24 * 3600_000;

/**
 * Over attempts with `now - windowDays < at <= now` (a row exactly `windowDays` old has left the
 * window; future rows are ignored). An abandoned call was answered by a person by definition,
 * so it counts in the denominator even if a row forgot to say so.
 */
export function abandonRate(
  attempts: ReadonlyArray<AbandonSample>,
  now: number,
  windowDays = 30,
): AbandonRate {
  const since = now - windowDays * DAY;
  let answered = 0;
  let abandoned = 0;
  for (const a of attempts) {
    if (a.at <= since || a.at > now) continue;
    if (a.abandoned) {
      abandoned++;
      answered++;
    } else if (a.answeredByPerson) answered++;
  }
  return { rate: answered ? abandoned / answered : 0, answered, abandoned };
}
