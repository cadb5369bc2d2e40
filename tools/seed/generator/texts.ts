/** Request texts per type; `{p}` becomes the product name. Descriptions pass the completeness check (30+ characters). */
export interface Text {
  title: string;
  description: string;
  impact: string;
}

export const INCIDENT_TEXTS: readonly Text[] = [
  {
    title: '{p}: page stays blank after login',
    description:
      'Since this morning the {p} start page stays blank after logging in, for all users of our organisation.',
    impact: 'Nobody can work in {p}; the daily run is blocked.',
  },
  {
    title: '{p}: export stops with error E-500',
    description: 'The export in {p} stops halfway with error E-500; the file is not created. It worked last week.',
    impact: 'Finance cannot deliver the monthly figures on time.',
  },
  {
    title: '{p}: totals differ from the detail lines',
    description: 'The totals in the {p} overview are higher than the sum of the detail lines for about 40 records.',
    impact: 'We cannot trust the figures we report to management.',
  },
  {
    title: '{p}: batch job did not run last night',
    description: 'The nightly batch of {p} did not run; the status shows "queued" since 02:00 and nothing happens.',
    impact: 'Employees see yesterday’s data and approvals pile up.',
  },
  {
    title: '{p}: slow screens since the last release',
    description: 'Since the last release every screen in {p} takes 20 to 30 seconds to open, for all users.',
    impact: 'Staff lose an hour a day waiting for the application.',
  },
  {
    title: '{p}: validation rejects valid records',
    description:
      'Saving a record in {p} fails with a validation error although all required fields are filled in correctly.',
    impact: 'About 60 records cannot be processed before the deadline.',
  },
  {
    title: '{p}: users cannot log in with single sign-on',
    description:
      'Users who log in through our identity provider get "access denied" in {p}; local accounts still work.',
    impact: 'Most of our 800 users cannot reach {p}.',
  },
  {
    title: '{p}: notifications are not sent',
    description: 'Approvers no longer receive e-mail notifications from {p} for new items since Monday.',
    impact: 'Approvals are days late and suppliers complain.',
  },
  {
    title: '{p}: wrong amounts after the import',
    description: 'After importing the monthly file into {p} the amounts are multiplied by 100 for decimal values.',
    impact: 'Payments would go out wrong if we do not stop them.',
  },
  {
    title: '{p}: report shows no data for last month',
    description: 'The standard report in {p} shows no data at all for last month, while the month before is complete.',
    impact: 'The board report due this week cannot be made.',
  },
];

export const CHANGE_TEXTS: readonly Text[] = [
  {
    title: '{p}: extra field on the overview screen',
    description:
      'We would like an extra column with the cost centre on the {p} overview screen, sortable and filterable.',
    impact: 'Controllers now look up the cost centre per record by hand.',
  },
  {
    title: '{p}: export in CSV besides Excel',
    description:
      'Please add a CSV export to {p}, with a semicolon separator, so our data warehouse can read it directly.',
    impact: 'We convert 30 files a month by hand.',
  },
  {
    title: '{p}: approval in two steps above a threshold',
    description: 'In {p} items above EUR 10,000 should need a second approver, configurable per department.',
    impact: 'Our auditor requires a four-eyes check above this amount.',
  },
  {
    title: '{p}: English user interface for international staff',
    description: 'Our international staff would like {p} in English; today only Dutch is available for some screens.',
    impact: 'Around 50 employees call our help desk every month.',
  },
  {
    title: '{p}: API endpoint for bulk updates',
    description: 'We need an API endpoint in {p} that accepts bulk updates of up to 1,000 records per call.',
    impact: 'Our integration now makes thousands of calls and hits the rate limit.',
  },
  {
    title: '{p}: configurable reminder period',
    description: 'The reminder period in {p} is fixed at 7 days; we would like to configure it per workflow.',
    impact: 'Some workflows need a reminder after 2 days to meet legal deadlines.',
  },
];

export const INFORMATION_TEXTS: readonly Text[] = [
  {
    title: 'How do we set up {p} for a new department?',
    description: 'We are opening a new department next month. Which settings in {p} do we need?',
    impact: '',
  },
  {
    title: 'Where can we find the audit log of {p}?',
    description: 'Our auditor asks who changed a set of records in {p} last quarter. Where do we find this?',
    impact: '',
  },
  {
    title: 'Can {p} handle two approval routes?',
    description: 'Is it possible in {p} to use a different approval route for one business unit?',
    impact: '',
  },
  {
    title: 'What changes in {p} with the next release?',
    description: 'We would like to know what changes for our users in {p} with the next release.',
    impact: '',
  },
  {
    title: 'How do we correct an earlier period in {p}?',
    description: 'A mistake was made in an earlier period in {p}. How do we correct it without redoing everything?',
    impact: '',
  },
];

export const APPLICATION_SERVICE_TEXTS: readonly Text[] = [
  {
    title: '{p}: bulk update of 120 records',
    description: 'Please update the attached 120 records in {p} with the new values in the second column of the list.',
    impact: '',
  },
  {
    title: '{p}: add 15 new cost centres',
    description:
      'Please create the 15 cost centres of the attached list in {p}, each with its manager as first approver.',
    impact: '',
  },
  {
    title: '{p}: move employees to a new unit',
    description:
      'Please move the employees on the attached list to the new organisational unit in {p} from the first of next month.',
    impact: '',
  },
  {
    title: '{p}: yearly rate change',
    description: 'Please apply the new yearly rates of the attached table in {p} from 1 January.',
    impact: '',
  },
];

export const NOTES = [
  'Reproduced on the acceptance environment.',
  'Checked the logs: the error started after the last deployment.',
  'Asked a colleague of the product team for a second look.',
  'Customer data checked; the configuration looks correct.',
  'Analysis takes longer than expected; continuing tomorrow.',
];
export const REPLIES = [
  'We are looking into it and will come back to you today.',
  'We found the cause and are working on a solution.',
  'Thank you for the extra information, this helps.',
  'A quick update: the analysis is still ongoing.',
];
export const CUSTOMER_REPLIES = [
  'Any news on this?',
  'It also happens for other users now.',
  'Thanks for the update.',
  'We tried again this morning, same result.',
];
export const SOLUTIONS = [
  'The configuration was corrected; please try again.',
  'A fix was deployed; the issue no longer occurs on our side.',
  'The data was repaired; the totals are correct again.',
  'Setting the option explicitly works around the problem until the fix is released.',
];
