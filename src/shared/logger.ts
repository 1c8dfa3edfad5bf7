import pino, { type Logger } from 'pino';

export type { Logger };

/** Keeps the last four digits of a phone number: enough to tell calls apart in a log. */
export function redactNumber(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '***';
  return `***${digits.slice(-4)}`;
}

/**
 * The service's root logger. Secrets are censored wherever they appear under these keys;
 * phone numbers are never logged whole: log `redactNumber(n)` instead.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hotline' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'req.headers.authorization',
          'ariPassword',
          '*.ariPassword',
          'passwordHash',
          '*.passwordHash',
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** A logger that writes nothing (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
