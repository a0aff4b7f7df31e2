-- SCIM 2.0 Groups: the groups an organization's directory pushes, and who
-- is in them. An owner maps a group to a role on Stint (`role`: at a
-- university `career` or `faculty`, at an employer `owner`); a member of a
-- mapped group is given that role, and loses it on leaving every mapped
-- group.
--
-- `resource` is the group's document without its members (canonical form
-- of the `stint-scim` crate); members are rows of `scim_group_members`,
-- kept in the order they were added (`seq`), and go with their group or
-- their User resource. `scim_users.role_problem` says why a mapped role
-- could not be given to or taken from a person, until it can.

ALTER TABLE scim_users ADD COLUMN role_problem TEXT;

CREATE TABLE scim_groups (
    id TEXT PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL,
    resource TEXT NOT NULL,
    role TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX scim_groups_org ON scim_groups(org_id, created_at, id);
CREATE INDEX scim_groups_name ON scim_groups(org_id, display_name_key);

CREATE TABLE scim_group_members (
    seq BIGSERIAL PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
    scim_user_id TEXT NOT NULL REFERENCES scim_users(id) ON DELETE CASCADE,
    display TEXT,
    UNIQUE (group_id, scim_user_id)
);
CREATE INDEX scim_group_members_user ON scim_group_members(scim_user_id);
