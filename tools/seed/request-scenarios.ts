/**
 * The demo requests: a few weeks of a payroll/HR/spend-management desk, compressed into
 * one run. Each scenario registers one request as the customer user (or the desk, taking
 * a phone call) and takes it step by step through the lifecycle as the people who would
 * do it: the product team's consultants and team lead, the PD change coordinator, and the
 * customer. Together they leave requests in every status, of every type, for all four
 * customers of apps/requests/src/directory/testing/demo-data.ts. Scenarios run in this order (later ones may
 * refer to earlier ones with `{{key}}`).
 */
import { by, errorMessage, screenshot, type Scenario } from './steps';

// Product ids of the data file
const SALARIS = 'prod-salarisverwerking';
const LOONAANGIFTE = 'prod-loonaangifte';
const HR_DOSSIER = 'prod-hr-dossier';
const VERLOF = 'prod-verlof-verzuim';
const INKOOP = 'prod-inkoopfacturen';
const DECLARATIES = 'prod-declaraties';

// Team Payroll, Team HR, Team Spend management
const sanne = by('p-sanne-jansen');
const anna = by('p-anna-devries');
const daan = by('p-daan-bakker');
const lotte = by('p-lotte-smit');
const mark = by('p-mark-visser');
const thomas = by('p-thomas-mulder');
const emma = by('p-emma-van-dijk');
const noah = by('p-noah-bos');
const sophie = by('p-sophie-meijer');
const lucas = by('p-lucas-de-jong');
const julia = by('p-julia-peters');
// Product development
const joost = by('p-joost-vermeulen');
// Customer users who act after registering: Bakker Logistiek, Groenveld Retail, Noordzee Energie (English).
// Zorggroep De Linde (no Application Services contract) registers as p-anouk-willems and p-henk-schouten.
const marieke = by('p-marieke-bakker');
const kees = by('p-kees-van-den-berg');
const iris = by('p-iris-groenveld');
const jeroen = by('p-jeroen-maas');
const olivia = by('p-olivia-hughes');
const pieter = by('p-pieter-de-wit');

/** The payroll defect three customers run into: one change, the demand of three organisations. */
const MULTIPLE_EMPLOYMENTS = 'PD-2417';
/** The reporting wish two customers share. */
const ABSENCE_PERCENTAGE = 'PD-2455';

export const scenarios: readonly Scenario[] = [
  {
    key: 'bakker-payroll-run-blocked',
    by: 'p-marieke-bakker',
    register: {
      type: 'INCIDENT',
      productId: SALARIS,
      title: 'Payroll run period 11 stops at the validation step',
      description:
        'Starting the payroll run for period 11 stops at step 3 (validation) with error VAL-112 for 37 drivers who also work as warehouse staff.',
      businessImpact:
        'Salaries of 420 employees must be paid this Friday; without the run the bank file cannot be sent.',
      evidence: [
        screenshot('run-p11-validation.png'),
        errorMessage('VAL-112: dienstverband 2 heeft geen geldige loonheffingskorting-indicatie'),
      ],
      requestedPriority: 'HIGH',
    },
    steps: [
      sanne.assign('p-anna-devries'),
      anna.prioritise('HIGH', undefined, 'payroll-run'),
      anna.notice('We are looking into it with priority, given Friday’s payment date.'),
      anna.accept(),
      anna.start(),
      anna.note('Reproduced on acceptance: every employee with two employments fails VAL-112 since release 26.11.'),
      anna.handOver(
        'PRODUCT_DEVELOPMENT',
        'Product defect since release 26.11: validation VAL-112 rejects the second employment of employees with two employments. Reproduced on acceptance with the customer’s period 11 data.',
      ),
      joost.linkChange(
        MULTIPLE_EMPLOYMENTS,
        'BUG',
        'Payroll validation rejects employees with more than one employment',
      ),
      anna.propose(
        'Workaround until the fix of PD-2417 ships: set “Loonheffingskorting toepassen” explicitly to “Nee” on the second employment of the 37 drivers, then start the run again.',
        'WORKAROUND',
      ),
      marieke.agree('The run completed, thank you. We will undo the setting once the fix is live.'),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'groenveld-second-employment',
    by: 'p-iris-groenveld',
    register: {
      type: 'INCIDENT',
      productId: SALARIS,
      title: 'Salary run rejects cashiers with a second employment',
      description:
        'Since this week the salary run rejects all cashiers who also have an on-call contract for the distribution centre (error VAL-112).',
      businessImpact: 'About 90 cashiers in 14 stores would not be paid this month if the run cannot complete.',
      evidence: [errorMessage('VAL-112: dienstverband 2 heeft geen geldige loonheffingskorting-indicatie')],
      requestedPriority: 'HIGH',
    },
    steps: [
      ...daan.intake(
        'MEDIUM',
        'Known defect PD-2417 with a workaround: the run completes when the second employment is set explicitly. Payment date is two weeks away.',
        'payroll-run',
      ),
      daan.start(),
      daan.handOver(
        'PRODUCT_DEVELOPMENT',
        'Same VAL-112 defect as {{bakker-payroll-run-blocked}}: second employments rejected since release 26.11. Customer applied the workaround.',
      ),
      joost.linkChange(MULTIPLE_EMPLOYMENTS),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'noordzee-offshore-crew',
    by: 'p-olivia-hughes',
    register: {
      type: 'INCIDENT',
      productId: SALARIS,
      title: 'Offshore crew with two employments missing from the payroll run',
      description:
        'Twelve offshore technicians with both a permanent and a rotation contract are dropped from the payroll run with validation error VAL-112.',
      businessImpact:
        'The crew is paid per rotation; a missed payment breaks the collective agreement and delays the next crew change.',
      evidence: [screenshot('payroll-run-dropped-employees.png')],
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...lotte.intake('MEDIUM'),
      lotte.start(),
      lotte.handOver('PRODUCT_DEVELOPMENT', 'Third customer hit by VAL-112 on second employments (see PD-2417).'),
      joost.linkChange(MULTIPLE_EMPLOYMENTS),
      sanne.prioritise(
        'HIGH',
        'Service manager Bas Dekker: the rotation payment is due on Friday and the workaround does not fit rotation contracts. Agreed with the customer.',
      ),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'linde-nightshift-leave-balance',
    by: 'p-henk-schouten',
    register: {
      type: 'INCIDENT',
      productId: VERLOF,
      title: 'Leave balances of night-shift nurses wrong after the rota import',
      description:
        'After importing the December rota, the leave balances of night-shift nurses at location Het Anker dropped by 8 to 16 hours each.',
      businessImpact:
        'Nurses cannot plan their Christmas leave and team leaders are approving leave against wrong balances.',
      evidence: [screenshot('saldo-het-anker.png'), errorMessage('Saldo negatief na import rooster 2026-12')],
      requestedPriority: 'HIGH',
    },
    steps: [
      ...emma.intake('HIGH', undefined, 'leave-balance'),
      emma.start(),
      emma.note('Rota import books night-shift hours as leave when a shift crosses midnight. Checking with Noah.'),
    ],
    expect: 'IN_HANDLING',
  },
  {
    key: 'linde-leave-balance-incomplete',
    by: 'p-anouk-willems',
    register: {
      type: 'INCIDENT',
      productId: VERLOF,
      title: 'Leave balances look wrong',
      description: 'Balances look wrong since Monday.',
      requestedPriority: 'MEDIUM',
    },
    steps: [],
    expect: 'WAITING_FOR_CUSTOMER',
  },
  {
    key: 'bakker-tax-return-rejected',
    by: 'p-kees-van-den-berg',
    register: {
      type: 'INCIDENT',
      productId: LOONAANGIFTE,
      title: 'Payroll tax return for October rejected by Digipoort',
      description:
        'The payroll tax return for October was rejected by Digipoort with error 3005 (message does not match the XSD). The September return went through without problems.',
      businessImpact: 'The return is due on 30 November; a late return means a fine from the Belastingdienst.',
      evidence: [errorMessage('Digipoort foutcode 3005: bericht voldoet niet aan het XSD-schema (element LoonLbPh)')],
      requestedPriority: 'HIGH',
    },
    steps: [
      ...daan.intake('HIGH', undefined, 'tax-return'),
      daan.start(),
      daan.askFor(
        [
          'The full Digipoort response, including the message id (kenmerk)',
          'Whether the return was sent from the acceptance or the production environment',
        ],
        'To find out which element fails we need the following:',
      ),
    ],
    expect: 'WAITING_FOR_CUSTOMER',
  },
  {
    key: 'groenveld-payment-terms-bulk',
    by: 'p-jeroen-maas',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: INKOOP,
      title: 'Bulk update of payment terms for 140 suppliers',
      description:
        'Please change the payment term of our food suppliers from 30 to 14 days, in line with the new Fair Trade agreement of our purchasing department.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      sophie.assign(),
      sophie.askFor(
        [
          'The list of supplier numbers with their new payment term (Excel or CSV)',
          'The date from which the new terms apply',
        ],
        'We can run this mutation by robot once we have:',
      ),
    ],
    expect: 'WAITING_FOR_CUSTOMER',
  },
  {
    key: 'linde-retention-deletion',
    by: 'p-henk-schouten',
    register: {
      type: 'CHANGE',
      productId: HR_DOSSIER,
      title: 'Automatic deletion of personnel files after the retention period',
      description:
        'We would like HR Dossier to delete personnel files automatically two years after employment ends, with a monthly list for HR to confirm first.',
      businessImpact:
        'Our privacy officer found 1,800 files kept beyond the GDPR retention period; deleting them by hand takes weeks.',
      requestedPriority: 'HIGH',
    },
    steps: [
      thomas.assign(),
      thomas.prioritise(
        'MEDIUM',
        'A legal obligation with a deadline, but no stop of daily work; planned with product development in the release calendar.',
        'retention',
      ),
      thomas.notice(),
      thomas.accept(),
    ],
    expect: 'ACCEPTED',
  },
  {
    key: 'noordzee-payslip-language',
    by: 'p-pieter-de-wit',
    register: {
      type: 'INCIDENT',
      productId: SALARIS,
      title: 'Payslips shown in Dutch to English-speaking employees',
      description:
        'Since the November release our international staff see their payslip in Dutch in the employee portal, although their language is set to English.',
      businessImpact: 'Around 60 international engineers cannot read their payslip and call our HR desk every month.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      pieter.update({
        addEvidence: [screenshot('payslip-dutch.png')],
        message: 'Added a screenshot of the payslip of one of our engineers.',
      }),
      ...anna.intake('MEDIUM', undefined, 'employee-portal'),
    ],
    expect: 'ACCEPTED',
  },
  {
    key: 'linde-vog-upload',
    by: 'p-anouk-willems',
    register: {
      type: 'INCIDENT',
      productId: HR_DOSSIER,
      title: 'Uploading a certificate of conduct (VOG) to the employee file fails',
      description:
        'Uploading a scanned VOG (PDF, 2 MB) to the employee file of new care staff ends with “Upload mislukt”; other documents upload fine.',
      businessImpact: 'New staff may not start without a VOG on file; three starters are waiting.',
      evidence: [screenshot('upload-mislukt.png')],
      requestedPriority: 'MEDIUM',
    },
    steps: [
      mark.assign('p-emma-van-dijk'),
      emma.prioritise('MEDIUM', undefined, 'documents'),
      emma.notice(),
      emma.accept(),
    ],
    expect: 'ACCEPTED',
  },
  {
    key: 'bakker-expense-approval-stuck',
    by: 'p-marieke-bakker',
    register: {
      type: 'INCIDENT',
      productId: DECLARATIES,
      title: 'Expense claims stuck in “awaiting approval” after a manager left',
      description:
        'Since depot manager R. Smits left on 1 November, 23 expense claims of his drivers stay in “awaiting approval”; nobody can approve them.',
      businessImpact: 'Drivers wait for reimbursement of fuel and parking costs, some more than EUR 400.',
      evidence: [screenshot('claims-awaiting-approval.png')],
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...lucas.intake('MEDIUM', undefined, 'workflow'),
      lucas.start(),
      lucas.note(
        'The approver in the workflow is a deactivated user without a delegate. Checking whether the claims can be re-routed in bulk.',
      ),
    ],
    expect: 'IN_HANDLING',
  },
  {
    key: 'groenveld-leave-carry-over',
    by: 'p-iris-groenveld',
    register: {
      type: 'INFORMATION',
      productId: VERLOF,
      title: 'How do we carry over unused leave hours to 2027?',
      description:
        'Our store staff have many unused statutory and extra-statutory leave hours. How does the year-end carry-over work, and can we cap the extra-statutory hours?',
      requestedPriority: 'LOW',
    },
    steps: [...emma.intake('LOW', undefined, 'leave-year-end'), emma.start()],
    expect: 'IN_HANDLING',
  },
  {
    key: 'noordzee-freight-matching',
    by: 'p-olivia-hughes',
    register: {
      type: 'INCIDENT',
      productId: INKOOP,
      title: 'Invoices with freight costs fail three-way matching',
      description:
        'Purchase invoices that include a freight line are always blocked in three-way matching, even when the freight amount was on the purchase order.',
      businessImpact: 'About 70 invoices a week need manual approval and supplier payments run late.',
      evidence: [screenshot('matching-blocked.png')],
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...julia.intake('MEDIUM', undefined, 'matching'),
      julia.start(),
      julia.propose(
        'Freight lines are matched against the order only when the supplier group has a freight tolerance. We set a 5% freight tolerance for supplier group “Offshore logistics”.',
      ),
      olivia.disagree('Still blocked for invoices in USD from our Aberdeen suppliers.'),
    ],
    expect: 'IN_HANDLING',
  },
  {
    key: 'bakker-wage-increase',
    by: 'p-kees-van-den-berg',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: SALARIS,
      title: 'Collective wage increase of 3.5% per 1 January (cao Beroepsgoederenvervoer)',
      description:
        'Please apply the 3.5% increase of the collective agreement for road transport to all employees on salary scales B to F from 1 January 2027.',
      requestedPriority: 'MEDIUM',
    },
    steps: [daan.assign(), daan.prioritise('MEDIUM', undefined, 'cao'), daan.notice(), daan.accept(), daan.start()],
    expect: 'IN_HANDLING',
  },
  {
    key: 'linde-absence-percentage',
    by: 'p-anouk-willems',
    register: {
      type: 'CHANGE',
      productId: VERLOF,
      title: 'Absence percentage per department in the standard absence report',
      description:
        'We need the absence percentage (verzuimpercentage) and frequency per department in the standard report, instead of only absolute days.',
      businessImpact:
        'The board of directors asks for it every quarter; we now compute it by hand in Excel for 24 departments.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...noah.intake('MEDIUM', undefined, 'reporting'),
      noah.start(),
      noah.handOver(
        'PRODUCT_DEVELOPMENT',
        'New functionality: absence percentage and frequency per department in the standard absence report.',
      ),
      joost.linkChange(
        ABSENCE_PERCENTAGE,
        'NEW_FUNCTIONALITY',
        'Absence percentage and frequency per department in standard reports',
      ),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'bakker-absence-per-depot',
    by: 'p-marieke-bakker',
    register: {
      type: 'CHANGE',
      productId: VERLOF,
      title: 'Absence percentage per depot in the absence report',
      description:
        'We would like to see the absence percentage per depot in the absence report, so depot managers can compare their sites.',
      businessImpact: 'Depot managers have no insight into absence; HR prepares the figures by hand each month.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...emma.intake('LOW', 'A reporting wish: no impact on daily work, figures are available by hand.', 'reporting'),
      emma.start(),
      emma.handOver(
        'PRODUCT_DEVELOPMENT',
        'Same wish as {{linde-absence-percentage}}: absence percentage per organisational unit.',
      ),
      joost.linkChange(ABSENCE_PERCENTAGE),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'groenveld-second-approval',
    by: 'p-jeroen-maas',
    register: {
      type: 'CHANGE',
      productId: INKOOP,
      title: 'Second approval step for invoices above EUR 25,000',
      description:
        'Our controller wants to approve every purchase invoice above EUR 25,000 after the budget holder, as a second step in the approval flow.',
      businessImpact:
        'Required by our auditor for the 2026 annual accounts; without it the controller checks a weekly export by hand.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...sophie.intake('MEDIUM', undefined, 'workflow'),
      sophie.start(),
      sophie.handOver(
        'CONSULTING',
        'Consultancy: configure an extra approval layer for invoices above EUR 25,000 (about 6 hours from the credit bundle).',
      ),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'noordzee-offshore-import',
    by: 'p-pieter-de-wit',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: HR_DOSSIER,
      title: 'Import 85 new offshore employees from our recruitment system',
      description:
        'Please import the 85 new hires of the Q1 offshore intake from the attached export of our recruitment system, including their rotation schedule.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      thomas.prioritise('MEDIUM', undefined, 'import'),
      thomas.notice(),
      thomas.handOver(
        'CONSULTING',
        'The export needs a mapping of rotation schedules: forwarded to Consulting for a one-off import.',
      ),
    ],
    expect: 'HANDED_OVER',
  },
  {
    key: 'groenveld-holiday-allowance',
    by: 'p-jeroen-maas',
    register: {
      type: 'INCIDENT',
      productId: LOONAANGIFTE,
      title: 'Annual statement shows the wrong holiday allowance',
      description:
        'The draft annual statements (jaaropgaven) show a holiday allowance that is EUR 150 to 300 too high for part-time staff who changed hours in June.',
      businessImpact: 'Wrong annual statements lead to wrong income tax returns of 12 employees.',
      evidence: [screenshot('jaaropgaaf-concept.png')],
      requestedPriority: 'HIGH',
    },
    steps: [
      ...lotte.intake(
        'MEDIUM',
        'Affects 12 employees; the annual statements are not due before the end of January.',
        'annual-statement',
      ),
      lotte.start(),
      lotte.askFor(['The employee numbers of two affected employees']),
      jeroen.reply('For example 10234 and 10877, both went from 32 to 24 hours in June.'),
      lotte.propose(
        'The holiday allowance reservation was not recalculated after the change of hours. Recalculate the reservation for June–December (Salaris > Reserveringen > Herberekenen) and regenerate the draft annual statements.',
        'WORKAROUND',
      ),
    ],
    expect: 'SOLUTION_PROPOSED',
  },
  {
    key: 'linde-receipt-upload-question',
    by: 'p-henk-schouten',
    register: {
      type: 'INFORMATION',
      productId: DECLARATIES,
      title: 'Why can employees not upload receipts from their iPhone?',
      description:
        'Several nurses say the upload of a receipt photo fails when they submit a travel expense claim from their iPhone.',
      requestedPriority: 'LOW',
    },
    steps: [
      ...julia.intake('LOW'),
      julia.start(),
      julia.answerFromArticle(
        'kb-expense-receipt-upload',
        'iPhones store photos as HEIC, which the upload refuses. Ask the nurses to use the mobile app, which converts photos automatically; see the attached knowledge article.',
      ),
    ],
    expect: 'SOLUTION_PROPOSED',
  },
  {
    key: 'groenveld-cost-centres',
    by: 'p-iris-groenveld',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: DECLARATIES,
      title: 'Add 23 cost centres for the new stores in Brabant',
      description:
        'Please create cost centres KP-4101 to KP-4123 for our new stores in Brabant and link each to the store manager as first approver (list attached).',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...lucas.intake('MEDIUM', undefined, 'master-data'),
      lucas.start(),
      lucas.execute(
        'ROBOT',
        '23 cost centres created (KP-4101 to KP-4123) and linked to the store managers as first approver.',
      ),
    ],
    expect: 'SOLUTION_PROPOSED',
  },
  {
    key: 'noordzee-contract-storage',
    by: 'p-olivia-hughes',
    register: {
      type: 'INFORMATION',
      productId: HR_DOSSIER,
      title: 'Where do we store signed contracts of offshore workers?',
      description:
        'Should signed employment contracts and offshore certificates (BOSIET) be stored in the employee file, and who can see them?',
      requestedPriority: 'LOW',
    },
    steps: [
      ...noah.intake('LOW'),
      noah.start(),
      noah.answerAndPublish(
        'Store signed contracts in the employee file under “Contract”, and certificates such as BOSIET under “Certificates” with their expiry date: HR Dossier then reminds HR 60 days before expiry. Managers see certificates only; contracts are visible to HR.',
        'Storing signed contracts and certificates in HR Dossier',
      ),
      olivia.agree('Clear, thank you.'),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'linde-leave-balance-duplicate',
    by: 'p-anouk-willems',
    register: {
      type: 'INCIDENT',
      productId: VERLOF,
      title: 'Night-shift leave hours deducted twice',
      description:
        'After the December rota import, leave hours are deducted from night-shift staff at Het Anker even when they worked their shift.',
      businessImpact: 'Team leaders cannot trust the balances when approving Christmas leave.',
      evidence: [screenshot('het-anker-saldi.png')],
      requestedPriority: 'HIGH',
    },
    steps: [
      emma.assign(),
      emma.close(
        'DUPLICATE',
        'Your colleague Henk Schouten reported the same problem in {{linde-nightshift-leave-balance}}; we keep you informed there.',
      ),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'groenveld-shoe-size',
    by: 'p-jeroen-maas',
    register: {
      type: 'CHANGE',
      productId: HR_DOSSIER,
      title: 'Extra field for shoe size in the employee file',
      description:
        'For ordering safety shoes for our distribution centre staff we would like a shoe size field in the employee file.',
      businessImpact: 'Store managers now keep shoe sizes in separate spreadsheets per store.',
      requestedPriority: 'LOW',
    },
    steps: [
      thomas.assign(),
      thomas.prioritise('LOW'),
      thomas.notice(),
      jeroen.close('WITHDRAWN', 'We will use one of the existing free fields for this.'),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'linde-irregular-hours-declined',
    by: 'p-anouk-willems',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: SALARIS,
      title: 'Process the December irregular-hours allowance for 310 nurses',
      description:
        'Please process the irregular-hours allowance (ORT) for December for our 310 nurses from the attached rota export.',
      requestedPriority: 'MEDIUM',
    },
    steps: [],
    expect: 'CLOSED',
  },
  {
    key: 'bakker-depot-venlo',
    by: 'p-marieke-bakker',
    register: {
      type: 'APPLICATION_SERVICE',
      productId: HR_DOSSIER,
      title: 'Move 14 drivers to the new depot Venlo',
      description:
        'Please move the 14 drivers on the attached list to organisational unit “Depot Venlo” from 1 December, with Ahmed Yilmaz as their manager.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      mark.assign('p-thomas-mulder'),
      thomas.prioritise('MEDIUM', undefined, 'organisation'),
      thomas.notice(),
      thomas.accept(),
      thomas.start(),
      thomas.execute(
        'HAND',
        '14 employees moved to organisational unit Depot Venlo from 1 December; Ahmed Yilmaz is their manager.',
      ),
      marieke.agree('Checked, all correct.'),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'noordzee-per-diem',
    by: 'p-pieter-de-wit',
    register: {
      type: 'CHANGE',
      productId: DECLARATIES,
      title: 'Per-diem allowance for offshore rotations in expense claims',
      description:
        'Offshore staff should be able to claim a fixed per-diem allowance per rotation day instead of individual meal receipts.',
      businessImpact: 'Each rotation now produces dozens of small receipts per employee that finance checks by hand.',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...sophie.intake('MEDIUM', undefined, 'expense-rules'),
      sophie.start(),
      sophie.handOver(
        'CONSULTING',
        'Consultancy: configure an expense type with a fixed per-diem rate per rotation day.',
      ),
      sophie.propose(
        'Consulting configured the expense type “Offshore per diem” (EUR 47 per rotation day) and trained two of your finance staff.',
      ),
      sophie.close('SOLVED', 'Closed by the Service Center after Consulting’s delivery.'),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'bakker-correction-return',
    by: 'p-kees-van-den-berg',
    register: {
      type: 'INFORMATION',
      productId: LOONAANGIFTE,
      title: 'How do we correct the payroll tax return of an earlier period?',
      description: 'We paid a night allowance too little in August. How do we correct the August payroll tax return?',
      requestedPriority: 'LOW',
    },
    steps: [
      ...anna.intake('LOW', undefined, 'tax-return'),
      anna.start(),
      anna.propose(
        'Process the correction in the current period with “Correctie voorgaand tijdvak” checked; Loonaangifte then sends a correction message for August along with the next return.',
      ),
      kees.agree(),
      kees.reopen('And how do we report the correction of the work-related costs (WKR) final levy for 2025?'),
      anna.treatAsNew(
        'How do we report a correction of the WKR final levy?',
        'The customer asks how to report a correction of the final levy under the work-related costs scheme (WKR) for 2025.',
      ),
    ],
    expect: 'CLOSED',
  },
  {
    key: 'noordzee-leave-approval-route',
    by: 'p-olivia-hughes',
    register: {
      type: 'INCIDENT',
      productId: VERLOF,
      title: 'Leave requests of rotation staff are not sent to their supervisor',
      description:
        'Leave requests of offshore rotation staff go to the HR mailbox instead of the rotation supervisor, so they are approved days late.',
      businessImpact: 'Crew planning for the next rotation cannot be finalised while leave is pending.',
      evidence: [screenshot('approval-route.png')],
      requestedPriority: 'HIGH',
    },
    steps: [
      ...noah.intake('HIGH', undefined, 'workflow'),
      noah.start(),
      noah.propose(
        'The approval route now takes the rotation supervisor from the employee’s rotation schedule instead of the line manager.',
      ),
      olivia.agree(),
      olivia.reopen('Same problem again since the December rota was published: requests go to the HR mailbox again.'),
    ],
    expect: 'REOPENED',
  },
  {
    key: 'groenveld-mileage-rate',
    by: 'p-jeroen-maas',
    register: {
      type: 'INCIDENT',
      productId: DECLARATIES,
      title: 'Mileage claims use EUR 0.21 instead of EUR 0.23 per km',
      description:
        'Since 1 January mileage claims are still calculated at EUR 0.21 per km, while our expense policy follows the tax-free maximum of EUR 0.23.',
      businessImpact: 'All 300 store managers who drive between stores are reimbursed too little.',
      evidence: [screenshot('mileage-rate.png')],
      requestedPriority: 'MEDIUM',
    },
    steps: [],
    expect: 'REGISTERED',
  },
  {
    key: 'bakker-phone-deadline',
    by: 'p-lotte-smit',
    register: {
      type: 'INFORMATION',
      productId: LOONAANGIFTE,
      title: 'Deadline of the payroll tax return for period 12',
      description:
        'Kees van den Berg called: when must the return for period 12 be with the Belastingdienst, given the Christmas closure of their office?',
      requestedPriority: 'LOW',
      customerId: 'cust-bakker-logistiek',
      requesterId: 'p-kees-van-den-berg',
    },
    steps: [lotte.assign(), lotte.prioritise('LOW', undefined, 'tax-return')],
    expect: 'REGISTERED',
  },
  {
    key: 'noordzee-supplier-portal-english',
    by: 'p-pieter-de-wit',
    register: {
      type: 'CHANGE',
      productId: INKOOP,
      title: 'Supplier portal in English for foreign suppliers',
      description:
        'Our Scottish and Norwegian suppliers cannot read the Dutch supplier portal; we would like it in English for suppliers outside the Netherlands.',
      businessImpact: 'Foreign suppliers send invoices by e-mail instead, which we then enter by hand.',
      requestedPriority: 'MEDIUM',
    },
    steps: [julia.assign(), julia.prioritise('MEDIUM', undefined, 'supplier-portal')],
    expect: 'REGISTERED',
  },
  {
    key: 'groenveld-digipoort-2001',
    by: 'p-iris-groenveld',
    register: {
      type: 'INFORMATION',
      productId: LOONAANGIFTE,
      title: 'What does Digipoort error 2001 mean?',
      description: 'Our payroll tax return was rejected with error 2001. What should we do?',
      requestedPriority: 'MEDIUM',
    },
    steps: [
      ...daan.intake('LOW', 'A question with a documented answer; the return deadline is still nine days away.'),
      daan.start(),
      daan.answerFromArticle(
        'kb-loonaangifte-digipoort-fout',
        'Error 2001 means your PKIoverheid certificate has expired. Upload the renewed certificate and send the return again; the knowledge article shows where.',
      ),
      iris.agree('Renewed certificate uploaded, the return was accepted.'),
    ],
    expect: 'CLOSED',
  },
];
