/**
 * A contact's region and time zone, derived from the number alone: the region (ISO country) by
 * libphonenumber-js, the zone from the IANA zone list of that country (countries-and-timezones).
 * The zone is given only when the country keeps one clock; otherwise null, and the campaign's
 * zone applies (calling-hours.ts `effectiveZone`). Pure and cached per region.
 */
import { getTimezonesForCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface ContactZone {
  /** ISO 3166 alpha-2, e.g. 'GB'; null for non-geographic numbers (+800…) or unparsable input. */
  region: string | null;
  /** IANA zone when the region has exactly one clock, else null. */
  timezone: string | null;
}

/**
 * Countries whose law sets one time nationwide while tzdata also lists an unofficial local time:
 * China's legal time is Beijing time everywhere (tzdata's Asia/Urumqi is the informal Xinjiang
 * time), and it is the legal time that calling-hours rules are written in.
 */
const NATIONAL_TIME: Readonly<Record<string, string>> = { CN: 'Asia/Shanghai' };

const zoneCache = new Map<string, string | null>();

/**
 * The one zone of a country, or null when it has several clocks. Zones that keep the same clock
 * all year (same standard and daylight offsets, e.g. Germany's Europe/Berlin and Büsingen's
 * Europe/Zurich, Argentina's twelve) count as one; the name given is the one whose first country
 * is this country (the library lists a shared zone's main country first), else the first listed.
 */
export function zoneOfRegion(region: string): string | null {
  const key = region.toUpperCase();
  const cached = zoneCache.get(key);
  if (cached !== undefined) return cached;
  let zone: string | null = NATIONAL_TIME[key] ?? null;
  if (!zone) {
    const zones = getTimezonesForCountry(key) ?? [];
    const clocks = new Set(zones.map((z) => `${z.utcOffset}/${z.dstOffset}`));
    if (zones.length && clocks.size === 1)
      zone = (zones.find((z) => z.countries[0] === key) ?? zones[0])?.name ?? null;
  }
  zoneCache.set(key, zone);
  return zone;
}

/**
 * `+447911123456` → {region:'GG', timezone:'Europe/London'};
 * `+12125550100` → {region:'US', timezone:null}.
 */
export function contactZone(e164: string): ContactZone {
  const region = parsePhoneNumberFromString(e164)?.country ?? null;
  return { region, timezone: region ? zoneOfRegion(region) : null };
}
