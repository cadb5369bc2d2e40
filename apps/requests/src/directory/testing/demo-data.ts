/**
 * Demo directory and knowledge base of a payroll/HR/spend-management vendor and four Dutch
 * customers. Data only: load it with `seedDirectory` (apps/requests/src/directory) and
 * `newKnowledgeArticle` + `KnowledgeRepository.insert`. Ids are readable slugs, and a
 * person's id is the `sub` of their token: `npm run token -- --role customer --customer
 * cust-bakker-logistiek --sub p-marieke-bakker`. Organisations and addresses are made up
 * (`.example` domains).
 *
 * The requests service owns the shape of this data, so it lives here: its specs load it through
 * the admin use cases (proving it obeys every directory rule) and `npm run seed` (tools/seed)
 * loads it through the gateway.
 */
import type { Customer, Person, Product, ProductGroup, Team } from '../domain/directory';
import type { NewKnowledgeArticleFields } from '../../knowledge/domain/knowledge-article';

export const productGroups: readonly ProductGroup[] = [
  { id: 'pg-payroll', name: 'Payroll' },
  { id: 'pg-hr', name: 'HR' },
  { id: 'pg-spend', name: 'Spend management' },
];

export const teams: readonly Team[] = [
  { id: 'team-payroll', name: 'Team Payroll', leadId: 'p-sanne-jansen' },
  { id: 'team-hr', name: 'Team HR', leadId: 'p-mark-visser' },
  { id: 'team-spend', name: 'Team Spend management', leadId: 'p-fatima-el-amrani' },
];

export const products: readonly Product[] = [
  { id: 'prod-salarisverwerking', name: 'Salarisverwerking', productGroupId: 'pg-payroll', teamId: 'team-payroll' },
  { id: 'prod-loonaangifte', name: 'Loonaangifte', productGroupId: 'pg-payroll', teamId: 'team-payroll' },
  { id: 'prod-hr-dossier', name: 'HR Dossier', productGroupId: 'pg-hr', teamId: 'team-hr' },
  { id: 'prod-verlof-verzuim', name: 'Verlof & Verzuim', productGroupId: 'pg-hr', teamId: 'team-hr' },
  { id: 'prod-inkoopfacturen', name: 'Inkoopfacturen', productGroupId: 'pg-spend', teamId: 'team-spend' },
  { id: 'prod-declaraties', name: 'Declaraties', productGroupId: 'pg-spend', teamId: 'team-spend' },
];

const staff = (id: string, name: string, roles: Person['roles'], teamIds: string[] = []): Person => ({
  id,
  name,
  email: `${id.slice(2).replace(/-/g, '.')}@servicecenter.example`,
  roles,
  customerId: null,
  teamIds,
});

const customerUser = (id: string, name: string, customerId: string, domain: string): Person => ({
  id,
  name,
  email: `${id.slice(2).replace(/-/g, '.')}@${domain}`,
  roles: ['customer'],
  customerId,
  teamIds: [],
});

export const customers: readonly Customer[] = [
  {
    id: 'cust-bakker-logistiek',
    name: 'Bakker Logistiek B.V.',
    applicationServicesContract: true,
    applicationServicesConditions: [],
    baseBundleHours: 80,
    creditBundleHours: 40,
    serviceManagerId: 'p-ingrid-vos',
    customerSuccessManagerId: 'p-yusuf-kaya',
    language: 'NL',
  },
  {
    // No Application Services contract: application-service requests are declined.
    id: 'cust-zorggroep-de-linde',
    name: 'Zorggroep De Linde',
    applicationServicesContract: false,
    applicationServicesConditions: [],
    baseBundleHours: 40,
    creditBundleHours: 20,
    serviceManagerId: 'p-bas-dekker',
    customerSuccessManagerId: 'p-yusuf-kaya',
    language: 'NL',
  },
  {
    id: 'cust-groenveld-retail',
    name: 'Groenveld Retail Groep',
    applicationServicesContract: true,
    applicationServicesConditions: [],
    baseBundleHours: 120,
    creditBundleHours: 60,
    serviceManagerId: 'p-ingrid-vos',
    customerSuccessManagerId: 'p-yusuf-kaya',
    language: 'NL',
  },
  {
    // An international staff at this customer: standard texts in English.
    id: 'cust-noordzee-energie',
    name: 'Noordzee Energie N.V.',
    applicationServicesContract: true,
    applicationServicesConditions: [],
    baseBundleHours: 60,
    creditBundleHours: 30,
    serviceManagerId: 'p-bas-dekker',
    customerSuccessManagerId: null,
    language: 'EN',
  },
];

export const people: readonly Person[] = [
  // Team Payroll
  staff('p-sanne-jansen', 'Sanne Jansen', ['team_lead'], ['team-payroll']),
  staff('p-anna-devries', 'Anna de Vries', ['support_consultant'], ['team-payroll']),
  staff('p-daan-bakker', 'Daan Bakker', ['support_consultant'], ['team-payroll']),
  staff('p-lotte-smit', 'Lotte Smit', ['support_consultant'], ['team-payroll']),
  // Team HR
  staff('p-mark-visser', 'Mark Visser', ['team_lead'], ['team-hr']),
  staff('p-thomas-mulder', 'Thomas Mulder', ['support_consultant'], ['team-hr']),
  staff('p-emma-van-dijk', 'Emma van Dijk', ['support_consultant'], ['team-hr']),
  staff('p-noah-bos', 'Noah Bos', ['support_consultant'], ['team-hr']),
  // Team Spend management
  staff('p-fatima-el-amrani', 'Fatima el Amrani', ['team_lead'], ['team-spend']),
  staff('p-sophie-meijer', 'Sophie Meijer', ['support_consultant'], ['team-spend']),
  staff('p-lucas-de-jong', 'Lucas de Jong', ['support_consultant'], ['team-spend']),
  staff('p-julia-peters', 'Julia Peters', ['support_consultant'], ['team-spend']),
  // Service Center and service management line
  staff('p-ruud-hendriks', 'Ruud Hendriks', ['manager_service_center']),
  staff('p-ingrid-vos', 'Ingrid Vos', ['service_manager']),
  staff('p-bas-dekker', 'Bas Dekker', ['service_manager']),
  staff('p-karin-brouwer', 'Karin Brouwer', ['manager_service_management']),
  staff('p-yusuf-kaya', 'Yusuf Kaya', ['customer_success_manager']),
  // Product development and release testing
  staff('p-joost-vermeulen', 'Joost Vermeulen', ['pd_change_coordinator']),
  staff('p-eva-van-leeuwen', 'Eva van Leeuwen', ['pd_product_owner']),
  staff('p-milan-koster', 'Milan Koster', ['product_manager']),
  staff('p-rob-prins', 'Rob Prins', ['development_manager']),
  staff('p-nina-huisman', 'Nina Huisman', ['uat_coordinator']),
  staff('p-wendy-kok', 'Wendy Kok', ['admin']),
  // Customer users, two per organisation
  customerUser('p-marieke-bakker', 'Marieke Bakker', 'cust-bakker-logistiek', 'bakkerlogistiek.example'),
  customerUser('p-kees-van-den-berg', 'Kees van den Berg', 'cust-bakker-logistiek', 'bakkerlogistiek.example'),
  customerUser('p-anouk-willems', 'Anouk Willems', 'cust-zorggroep-de-linde', 'delinde.example'),
  customerUser('p-henk-schouten', 'Henk Schouten', 'cust-zorggroep-de-linde', 'delinde.example'),
  customerUser('p-iris-groenveld', 'Iris Groenveld', 'cust-groenveld-retail', 'groenveld.example'),
  customerUser('p-jeroen-maas', 'Jeroen Maas', 'cust-groenveld-retail', 'groenveld.example'),
  customerUser('p-olivia-hughes', 'Olivia Hughes', 'cust-noordzee-energie', 'noordzee-energie.example'),
  customerUser('p-pieter-de-wit', 'Pieter de Wit', 'cust-noordzee-energie', 'noordzee-energie.example'),
];

export const directoryData = { productGroups, teams, products, customers, people };

export type SeedKnowledgeArticle = Omit<NewKnowledgeArticleFields, 'now'> & { id: string };

export const knowledgeArticles: readonly SeedKnowledgeArticle[] = [
  {
    id: 'kb-loonstrook-niet-zichtbaar',
    title: 'Loonstrook niet zichtbaar in het medewerkerportaal',
    body:
      'Medewerkers zien hun loonstrook pas nadat de salarisrun is afgesloten en de publicatiedatum is bereikt. ' +
      'Controleer in Salarisverwerking onder Runs > Publicatie of de datum goed staat, en of de medewerker een actief portaalaccount heeft. ' +
      'Staat alles goed en ziet de medewerker de loonstrook nog steeds niet, meld dan een incident met de naam van de run en een schermafdruk.',
    productId: 'prod-salarisverwerking',
    tags: ['loonstrook', 'medewerkerportaal', 'publicatie'],
    published: true,
    createdBy: 'p-anna-devries',
  },
  {
    id: 'kb-loonaangifte-digipoort-fout',
    title: 'Foutmelding bij het verzenden van de loonaangifte via Digipoort',
    body:
      'Een afwijzing van Digipoort met code 2001 betekent meestal dat het PKIoverheid-certificaat verlopen is. ' +
      'Upload het vernieuwde certificaat onder Instellingen > Aangifte > Certificaten en verstuur de aangifte opnieuw. ' +
      'Let op de uiterste inleverdatum van de Belastingdienst: verstuur binnen de aangiftetermijn.',
    productId: 'prod-loonaangifte',
    tags: ['loonaangifte', 'digipoort', 'belastingdienst', 'certificaat'],
    published: true,
    createdBy: 'p-daan-bakker',
  },
  {
    id: 'kb-verlofsaldo-herberekenen',
    title: 'Verlofsaldo herberekenen na een wijziging van de contracturen',
    body:
      'Na een wijziging van de contracturen met terugwerkende kracht wordt het verlofsaldo niet vanzelf herberekend. ' +
      'Start de herberekening via Verlof > Saldi > Herberekenen voor de betrokken medewerker en de periode vanaf de ingangsdatum.',
    productId: 'prod-verlof-verzuim',
    tags: ['verlof', 'saldo', 'contracturen'],
    published: true,
    createdBy: 'p-emma-van-dijk',
  },
  {
    id: 'kb-expense-receipt-upload',
    title: 'Uploading receipts for expense claims fails',
    body:
      'Receipts larger than 10 MB or in HEIC format are refused by the upload. Ask the employee to export the photo as JPEG or PDF, ' +
      'or to use the mobile app, which converts photos automatically. Corporate proxies that strip multipart uploads cause the same error.',
    productId: 'prod-declaraties',
    tags: ['expenses', 'receipts', 'upload'],
    published: true,
    createdBy: 'p-lucas-de-jong',
  },
  {
    // A draft: the desk sees it, customers do not.
    id: 'kb-invoice-matching-tolerance',
    title: 'Matching purchase invoices to orders: price and quantity tolerances',
    body:
      'Three-way matching accepts an invoice line when price and quantity are within the tolerances set per supplier group. ' +
      'Draft: to be reviewed with product development before publishing.',
    productId: 'prod-inkoopfacturen',
    tags: ['invoices', 'matching', 'tolerance'],
    published: false,
    createdBy: 'p-sophie-meijer',
  },
];
