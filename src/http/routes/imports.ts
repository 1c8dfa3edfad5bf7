import express, { Router } from 'express';
import type { z } from 'zod';
import { numericId } from '../../api/common';
import {
  importPageQuery,
  importQuery,
  type importReportSchema,
  type importStartedResponse,
} from '../../api/imports';
import type { Db } from '../../db';
import { getImport, startImport, type ImportRequest } from '../../outbound/lists/import-job';
import type { Clock } from '../../shared/clock';
import { HotlineError, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentUser, parse, route } from '../middleware';

type ImportParams = z.infer<typeof importQuery> & { campaignId: number };

const idOf = (value: unknown) => parse(numericId, value);

export interface ImportRoutesDeps {
  db: Db;
  defaultRegion: string;
  clock: Clock;
  log: Logger;
  /** The operational metrics (hotline_import_rows_total); optional. */
  metrics?: ImportRequest['metrics'];
  /** Does the campaign exist? Defaults to a look-up in `campaigns`. */
  campaignExists?: (id: number) => Promise<boolean>;
}

/**
 * docs/api-outbound.md "Lists (contacts)": CSV imports into a campaign and their reports. The CSV
 * is the request body (`Content-Type: text/csv`, or text/plain; charset from the header, UTF-8 by
 * default; up to 50 MB); the browser sends the picked file that way. Multipart upload is not
 * accepted: no multipart parser is among the dependencies.
 */
export function importRoutes(deps: ImportRoutesDeps) {
  const r = Router();
  const campaignExists =
    deps.campaignExists ??
    (async (id: number) => Boolean(await deps.db('campaigns').where({ id }).first('id')));

  r.post(
    '/campaigns/:id/imports',
    // The request is checked before its body is read: a wrong mapping or campaign costs no upload.
    (req, res, next) => {
      const campaignId = idOf(req.params.id);
      const q = parse(importQuery, req.query);
      campaignExists(campaignId)
        .then((exists) => {
          if (!exists) throw notFound('HOTLINE_CAMPAIGN_NOT_FOUND', `campaign ${campaignId}`);
          res.locals.importRequest = { campaignId, ...q };
          next();
        })
        .catch(next);
    },
    express.text({ type: ['text/csv', 'text/plain'], limit: '50mb' }),
    route(async (req, res) => {
      const { campaignId, mapping, assignTo } = res.locals.importRequest as ImportParams;
      const body: unknown = req.body;
      if (typeof body !== 'string')
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          'send the CSV file as the request body with Content-Type: text/csv',
        );
      if (!body.trim()) throw new HotlineError('HOTLINE_VALIDATION', 'the CSV file is empty');
      const { importId } = await startImport(deps.db, {
        campaignId,
        csv: body,
        mapping,
        assignTo: assignTo ?? null,
        defaultRegion: deps.defaultRegion,
        userId: currentUser(req).id,
        clock: deps.clock,
        log: deps.log,
        metrics: deps.metrics,
      });
      res.status(202).json({ importId } satisfies z.output<typeof importStartedResponse>);
    }),
  );

  r.get(
    '/imports/:id',
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const page = parse(importPageQuery, req.query);
      const report = await getImport(deps.db, id, page);
      if (!report) throw notFound('HOTLINE_IMPORT_NOT_FOUND', `import ${id}`);
      res.json(report satisfies z.output<typeof importReportSchema>);
    }),
  );
  return r;
}
