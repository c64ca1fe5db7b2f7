/** What the base seed hands each resource family's seed: the admin, the groups and the cast by login. */
import type { GroupRecord } from './resources/groups/model.js';
import type { UserRecord } from './resources/users/model.js';

export interface SeededOrg {
  admin: UserRecord;
  groups: Record<string, GroupRecord>;
  /** The base cast by login (jane.doe@example.com, ...). */
  people: Record<string, UserRecord>;
}
