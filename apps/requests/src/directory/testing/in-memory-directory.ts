import type { Customer, Person, Product, ProductGroup, Team } from '../domain/directory';
import type {
  CustomerFilter,
  DirectoryEvents,
  DirectoryReader,
  DirectoryStore,
  DirectoryUnitOfWork,
  NameKey,
  Page,
  PeopleParent,
  PersonAssignments,
  PersonFilter,
  ProductFilter,
} from '../domain/ports';
import type { DirectoryDataSet } from '../domain/seed-directory';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: NameKey, b: NameKey) => compare(a.name, b.name) || compare(a.id, b.id);
const afterKey = (key: NameKey | undefined) => (row: NameKey) => !key || byName(row, key) > 0;
const pageOf = <T extends NameKey>(rows: T[], page: Page) =>
  rows.sort(byName).filter(afterKey(page.after)).slice(0, page.limit);
const byIds = <T extends { id: string }>(rows: T[], ids: readonly string[]) =>
  rows.filter((r) => ids.includes(r.id)).map((r) => ({ ...r }));
const replace = <T extends { id: string }>(rows: T[], row: T) =>
  rows.splice(
    rows.findIndex((r) => r.id === row.id),
    1,
    { ...row },
  );

/**
 * The directory in memory, for specs of code above the repository (resolvers, the request
 * lifecycle). No transactions and no unique checks: the PostgreSQL spec covers those.
 */
export class InMemoryDirectory implements DirectoryReader, DirectoryStore, DirectoryUnitOfWork {
  readonly groups: ProductGroup[];
  readonly teamRows: Team[];
  readonly productRows: Product[];
  readonly customerRows: Customer[];
  readonly personRows: Person[];

  constructor(data: DirectoryDataSet) {
    this.groups = data.productGroups.map((r) => ({ ...r }));
    this.teamRows = data.teams.map((r) => ({ ...r }));
    this.productRows = data.products.map((r) => ({ ...r }));
    this.customerRows = data.customers.map((r) => ({ ...r }));
    this.personRows = data.people.map((r) => ({ ...r, roles: [...r.roles], teamIds: [...r.teamIds] }));
  }

  /** Customers announced by admin work (servicecenter.customer.saved.v1), in order. */
  readonly savedCustomers: Customer[] = [];
  /** Products announced by admin work (servicecenter.directory.product-saved.v1), in order. */
  readonly savedProducts: Product[] = [];
  /** People announced by admin work (servicecenter.directory.person-saved.v1), in order. */
  readonly savedPeople: Person[] = [];

  run<T>(work: (store: DirectoryStore, events: DirectoryEvents) => Promise<T>): Promise<T> {
    return work(this, {
      customerSaved: (customer) => void this.savedCustomers.push({ ...customer }),
      productSaved: (product) => void this.savedProducts.push({ ...product }),
      personSaved: (person) => void this.savedPeople.push({ ...person }),
    });
  }

  productGroupsByIds = async (ids: readonly string[]) => byIds(this.groups, ids);
  teamsByIds = async (ids: readonly string[]) => byIds(this.teamRows, ids);
  productsByIds = async (ids: readonly string[]) => byIds(this.productRows, ids);
  customersByIds = async (ids: readonly string[]) => byIds(this.customerRows, ids);
  peopleByIds = async (ids: readonly string[]) => byIds(this.personRows, ids);

  private customerMatches = (f: CustomerFilter) => (c: Customer) =>
    (!f.search || c.name.toLowerCase().includes(f.search.toLowerCase())) &&
    (f.onlyId === undefined || c.id === f.onlyId);
  private productMatches = (f: ProductFilter) => (p: Product) =>
    (!f.productGroupId || p.productGroupId === f.productGroupId) && (!f.teamId || p.teamId === f.teamId);
  private personMatches = (f: PersonFilter) => (p: Person) =>
    (!f.role || p.roles.includes(f.role)) &&
    (!f.teamId || p.teamIds.includes(f.teamId)) &&
    (f.customerId === undefined || p.customerId === f.customerId);
  private parentMatches = (parent: PeopleParent, id: string) =>
    this.personMatches(parent === 'customer' ? { customerId: id } : { teamId: id });

  customers = async (f: CustomerFilter, page: Page) => pageOf(this.customerRows.filter(this.customerMatches(f)), page);
  countCustomers = async (f: CustomerFilter) => this.customerRows.filter(this.customerMatches(f)).length;
  products = async (f: ProductFilter, page: Page) => pageOf(this.productRows.filter(this.productMatches(f)), page);
  countProducts = async (f: ProductFilter) => this.productRows.filter(this.productMatches(f)).length;
  productGroups = async () => [...this.groups].sort(byName);
  teams = async () => [...this.teamRows].sort(byName);
  people = async (f: PersonFilter, page: Page) => pageOf(this.personRows.filter(this.personMatches(f)), page);
  countPeople = async (f: PersonFilter) => this.personRows.filter(this.personMatches(f)).length;

  async peopleOf(parent: PeopleParent, ids: readonly string[], page: Page) {
    return new Map(ids.map((id) => [id, pageOf(this.personRows.filter(this.parentMatches(parent, id)), page)]));
  }

  async countPeopleOf(parent: PeopleParent, ids: readonly string[]) {
    return new Map(ids.map((id) => [id, this.personRows.filter(this.parentMatches(parent, id)).length]));
  }

  async assignmentsOf(personId: string): Promise<PersonAssignments> {
    return {
      ledTeamIds: this.teamRows.filter((t) => t.leadId === personId).map((t) => t.id),
      serviceManagerOfCustomerIds: this.customerRows.filter((c) => c.serviceManagerId === personId).map((c) => c.id),
      customerSuccessManagerOfCustomerIds: this.customerRows
        .filter((c) => c.customerSuccessManagerId === personId)
        .map((c) => c.id),
    };
  }

  insertProductGroup = async (row: ProductGroup) => void this.groups.push({ ...row });
  updateProductGroup = async (row: ProductGroup) => void replace(this.groups, row);
  insertTeam = async (row: Team) => void this.teamRows.push({ ...row });
  updateTeam = async (row: Team) => void replace(this.teamRows, row);
  insertProduct = async (row: Product) => void this.productRows.push({ ...row });
  updateProduct = async (row: Product) => void replace(this.productRows, row);
  insertCustomer = async (row: Customer) => void this.customerRows.push({ ...row });
  updateCustomer = async (row: Customer) => void replace(this.customerRows, row);
  insertPerson = async (row: Person) => void this.personRows.push({ ...row });
  updatePerson = async (row: Person) => void replace(this.personRows, row);
}
