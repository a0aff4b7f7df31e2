-- Foundation: accounts, organizations, profiles, projects, search, outbox, audit.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'employer', 'university', 'admin')),
    email_verified_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox(sent_at, id);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('employer', 'university')),
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    website TEXT,
    country TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    invite_code TEXT NOT NULL UNIQUE,
    verified_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE org_domains (
    domain TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE
);

CREATE TABLE memberships (
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
-- A person belongs to at most one organization for now.
CREATE UNIQUE INDEX memberships_one_org ON memberships(user_id);

CREATE TABLE student_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    headline TEXT,
    university_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    area_of_study TEXT,
    degree TEXT,
    graduation_year INTEGER,
    skills TEXT NOT NULL DEFAULT '',
    coursework TEXT,
    availability_hours INTEGER,
    interests TEXT NOT NULL DEFAULT '',
    location TEXT,
    time_zone TEXT,
    portfolio_url TEXT,
    linkedin_url TEXT,
    github_url TEXT,
    bio TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'filled', 'closed', 'completed', 'cancelled')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    brief TEXT NOT NULL,
    deliverables TEXT NOT NULL,
    acceptance_criteria TEXT NOT NULL,
    category TEXT NOT NULL,
    required_skills TEXT NOT NULL,
    preferred_skills TEXT NOT NULL,
    estimated_hours INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    duration_days INTEGER NOT NULL,
    price_minor INTEGER NOT NULL CHECK (price_minor > 0),
    currency TEXT NOT NULL,
    price_usd_cents INTEGER NOT NULL,
    work_mode TEXT NOT NULL CHECK (work_mode IN ('remote', 'hybrid', 'in_person')),
    location TEXT,
    slots INTEGER NOT NULL CHECK (slots > 0),
    application_deadline TEXT NOT NULL,
    decision_by TEXT NOT NULL,
    screening_question TEXT,
    for_credit BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX projects_org ON projects(org_id, status);
CREATE INDEX projects_open_published ON projects(status, published_at);
CREATE INDEX projects_open_category ON projects(status, category);

CREATE TABLE project_skills (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    PRIMARY KEY (project_id, skill)
);
CREATE INDEX project_skills_skill ON project_skills(skill, project_id);

-- Full-text index over open projects; rowid is the project id. Kept in step
-- by the store whenever a project is saved or changes status.
CREATE VIRTUAL TABLE projects_fts USING fts5(title, summary, skills, brief, tokenize = 'porter unicode61');

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
