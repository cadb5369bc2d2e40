import type { Role } from '@servicecenter/platform-auth';
import { intBetween, pick, streamFor, type Rng } from './prng';

/**
 * The generated desk's directory, derived from N: one customer per 500 requests (at least
 * 10), 5 product groups with 4 products each, a team per product with a lead and 3–6
 * consultants, 2–6 users per customer, a service manager per 25 customers, customer success
 * managers, PD change coordinators and a manager Service Center. Ids are stable (`g-…`) and
 * do not depend on the seed; names do. A larger N on the same database adds customers.
 */
export interface GenPerson {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  customerId?: string;
  teamIds: string[];
}
export interface GenTeam {
  id: string;
  name: string;
  leadId: string;
  consultantIds: string[];
}
export interface GenProduct {
  id: string;
  name: string;
  productGroupId: string;
  teamId: string;
  group: string;
}
export interface GenCustomer {
  id: string;
  name: string;
  applicationServicesContract: boolean;
  baseBundleHours: number;
  creditBundleHours: number;
  serviceManagerId: string;
  customerSuccessManagerId: string;
  language: 'NL' | 'EN';
  userIds: string[];
}
export interface GenDirectory {
  productGroups: { id: string; name: string }[];
  teams: GenTeam[];
  products: GenProduct[];
  customers: GenCustomer[];
  people: GenPerson[];
  byId: Map<string, GenPerson>;
  admin: string;
  managerServiceCenter: string;
  pdCoordinators: string[];
  uatCoordinator: string;
}

const GROUPS: [string, string[]][] = [
  ['Payroll', ['Salarisverwerking', 'Loonaangifte', 'Pensioenaangifte', 'Reiskosten']],
  ['HR', ['HR Dossier', 'Verlof & Verzuim', 'Werving & Selectie', 'Opleidingen']],
  ['Spend management', ['Inkoopfacturen', 'Declaraties', 'Bestellingen', 'Contractbeheer']],
  ['Time & planning', ['Urenregistratie', 'Roosterplanning', 'Tijdklok', 'Projecturen']],
  ['Platform', ['Rapportages', 'Koppelingen API', 'Single sign-on', 'Mobiele app']],
];
const FIRST = [
  'Anna',
  'Bram',
  'Daan',
  'Emma',
  'Fleur',
  'Hugo',
  'Iris',
  'Jesse',
  'Julia',
  'Kees',
  'Lotte',
  'Lucas',
  'Maud',
  'Milan',
  'Noah',
  'Noor',
  'Olivia',
  'Pieter',
  'Ruben',
  'Sanne',
  'Sophie',
  'Thijs',
  'Tess',
  'Vera',
  'Wouter',
  'Yara',
  'Zoë',
  'Fatima',
  'Mohamed',
  'Priya',
  'Oliver',
  'Grace',
];
const LAST = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Leeuwen',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Smits',
  'de Graaf',
  'van der Meer',
  'Kok',
  'Yilmaz',
  'El Amrani',
  'Hughes',
  'Campbell',
];
const ORG_A = [
  'Noord',
  'Zuid',
  'West',
  'Oost',
  'Groen',
  'Blauw',
  'Delta',
  'Polder',
  'Duin',
  'Rivier',
  'Haven',
  'Berg',
  'Kust',
  'Veld',
  'Brug',
  'Molen',
];
const ORG_B = [
  'Logistiek',
  'Zorg',
  'Retail',
  'Energie',
  'Bouw',
  'Onderwijs',
  'Techniek',
  'Transport',
  'Horeca',
  'Wonen',
  'Media',
  'Finance',
  'Agri',
  'Farma',
];
const ORG_C = ['B.V.', 'Groep', 'N.V.', 'Holding', 'Stichting', 'Partners'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const personName = (rng: Rng) => `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
const email = (id: string, domain: string) => `${id.slice(2)}@${domain}`;

export const customerCountFor = (requests: number) => Math.max(10, Math.ceil(requests / 500));

export function generateDirectory(seed: number, requests: number): GenDirectory {
  const people: GenPerson[] = [];
  const staff = (id: string, roles: Role[], teamIds: string[] = []) => {
    const rng = streamFor(seed, 1, hashId(id));
    people.push({ id, name: personName(rng), email: email(id, 'servicecenter.example'), roles, teamIds });
    return id;
  };
  const admin = staff('g-p-admin', ['admin']);
  const managerServiceCenter = staff('g-p-msc', ['manager_service_center']);
  staff('g-p-msm', ['manager_service_management']);
  const pdCoordinators = [staff('g-p-pd-1', ['pd_change_coordinator']), staff('g-p-pd-2', ['pd_change_coordinator'])];
  const uatCoordinator = staff('g-p-uat', ['uat_coordinator']);

  const productGroups = GROUPS.map(([name], g) => ({ id: `g-pg-${g + 1}`, name }));
  const teams: GenTeam[] = [];
  const products: GenProduct[] = [];
  GROUPS.forEach(([group, names], g) =>
    names.forEach((name, k) => {
      const n = g * 4 + k + 1;
      const teamId = `g-team-${pad(n, 2)}`;
      const rng = streamFor(seed, 1, 1000 + n);
      const leadId = staff(`g-p-lead-${pad(n, 2)}`, ['team_lead'], [teamId]);
      const consultantIds = Array.from({ length: intBetween(rng, 3, 6) }, (_, c) =>
        staff(`g-p-c${pad(n, 2)}-${c + 1}`, ['support_consultant'], [teamId]),
      );
      teams.push({ id: teamId, name: `Team ${name}`, leadId, consultantIds });
      products.push({ id: `g-prod-${pad(n, 2)}`, name, productGroupId: productGroups[g].id, teamId, group });
    }),
  );

  const customerCount = customerCountFor(requests);
  const serviceManagers = Array.from({ length: Math.ceil(customerCount / 25) }, (_, k) =>
    staff(`g-p-sm-${pad(k + 1, 3)}`, ['service_manager']),
  );
  const csms = Array.from({ length: Math.ceil(customerCount / 50) }, (_, k) =>
    staff(`g-p-csm-${pad(k + 1, 3)}`, ['customer_success_manager']),
  );
  const customers: GenCustomer[] = [];
  for (let c = 1; c <= customerCount; c++) {
    const rng = streamFor(seed, 3, c);
    const id = `g-cust-${pad(c, 5)}`;
    const orgName = `${pick(rng, ORG_A)}${pick(rng, ORG_B).toLowerCase()} ${pick(rng, ORG_C)} (${pad(c, 5)})`;
    const domain = `cust${pad(c, 5)}.example`;
    const userIds: string[] = [];
    for (let u = 1, users = intBetween(rng, 2, 6); u <= users; u++) {
      const uid = `g-u-${pad(c, 5)}-${u}`;
      people.push({
        id: uid,
        name: personName(rng),
        email: email(uid, domain),
        roles: ['customer'],
        customerId: id,
        teamIds: [],
      });
      userIds.push(uid);
    }
    const contract = c % 7 !== 3; // about one customer in seven has no Application Services contract
    customers.push({
      id,
      name: orgName,
      applicationServicesContract: contract,
      baseBundleHours: 20 * intBetween(rng, 1, 8),
      creditBundleHours: 10 * intBetween(rng, 0, 6),
      serviceManagerId: serviceManagers[(c - 1) % serviceManagers.length],
      customerSuccessManagerId: csms[(c - 1) % csms.length],
      language: rng() < 0.8 ? 'NL' : 'EN',
      userIds,
    });
  }
  return {
    productGroups,
    teams,
    products,
    customers,
    people,
    byId: new Map(people.map((p) => [p.id, p])),
    admin,
    managerServiceCenter,
    pdCoordinators,
    uatCoordinator,
  };
}

function hashId(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return h;
}

/** Customers a `requests` filter may name at most (`@limit(maxItems: 500)` on `RequestFilter.customer`). */
export const FILTER_CUSTOMERS = 500;

/** The generated customers as `requests` filters of at most `FILTER_CUSTOMERS` each (2,000 customers at 1M). */
export function customerFilters(dir: Pick<GenDirectory, 'customers'>): { customer: string[] }[] {
  const ids = dir.customers.map((c) => c.id);
  return Array.from({ length: Math.ceil(ids.length / FILTER_CUSTOMERS) }, (_, i) => ({
    customer: ids.slice(i * FILTER_CUSTOMERS, (i + 1) * FILTER_CUSTOMERS),
  }));
}
