import type { RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from '@servicecenter/platform-service';
import type { ReportQueries } from './domain/report-queries';

export interface ReportingContext extends RequestContext {
  reports: ReportQueries;
  status(): Promise<ServiceStatus>;
}
