import type express from 'express';
import type { Caller, VerifyToken } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import type { Logger } from '@servicecenter/platform-logging';
import type { ReportQueries } from '../domain/report-queries';
import { escapeHtml } from './html';
import { renderReviewCsv } from './review-csv';
import { renderReviewHtml } from './review-html';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * GET /reviews/:customerId/:quarter.html and .csv on the reporting service. A browser (or a
 * script) sends the same bearer token it uses for the gateway; the service verifies it with
 * the gateway's JWT settings, so the page needs no proxy and no cookie. Same access rules as
 * the GraphQL query.
 */
export function reviewRoutes(options: {
  verify: VerifyToken | undefined;
  reports: () => ReportQueries;
  zone: string;
  logger: Logger;
}) {
  return (app: express.Express) => {
    app.get('/reviews/:customerId/:file', async (req, res) => {
      const match = /^(\d{4}-Q[1-4])\.(html|csv)$/.exec(req.params.file);
      const fail = (status: number, message: string) => {
        res.status(status).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(message);
      };
      if (!match) return fail(404, 'Not found: /reviews/<customerId>/<YYYY-Qn>.html or .csv');
      const [, quarter, ext] = match;
      if (!options.verify)
        return fail(503, 'The review page is not configured: set JWT_SECRET or JWT_JWKS_URL on the reporting service');
      const header = req.header('authorization') ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
      if (!token) return fail(401, 'Sign in first: send Authorization: Bearer <token>');
      let caller: Caller;
      try {
        caller = await options.verify(token);
      } catch {
        return fail(401, 'The bearer token is not valid');
      }
      try {
        const review = await options.reports().review(caller, req.params.customerId, quarter);
        res.set('Cache-Control', 'no-store');
        if (ext === 'csv') {
          res
            .type('text/csv; charset=utf-8')
            .set(
              'Content-Disposition',
              `attachment; filename="service-management-review-${encodeURIComponent(req.params.customerId)}-${quarter}.csv"`,
            )
            .send(renderReviewCsv(review));
        } else {
          // The page has no scripts: forbid them outright, styles are inline.
          res
            .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
            .type('text/html; charset=utf-8')
            .send(renderReviewHtml(review, options.zone));
        }
      } catch (error) {
        if (error instanceof DomainError && STATUS[error.code])
          return fail(STATUS[error.code], escapeHtml(error.message));
        options.logger.error({ err: error }, 'review page failed');
        return fail(500, 'The review could not be produced');
      }
    });
  };
}
