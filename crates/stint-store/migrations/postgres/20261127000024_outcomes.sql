-- Outcomes for universities: optional, self-reported attributes a student
-- may give for their university's equity reporting. Kept apart from the
-- profile so that nothing employers read can join them; read only in
-- aggregates of at least five students. A missing row, or a NULL column,
-- is "not answered".
CREATE TABLE equity_attributes (
    student_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    first_generation TEXT CHECK (first_generation IN ('yes', 'no', 'prefer_not')),
    need_based_aid TEXT CHECK (need_based_aid IN ('yes', 'no', 'prefer_not')),
    gender TEXT CHECK (gender IN ('woman', 'man', 'non_binary', 'another', 'prefer_not')),
    disability TEXT CHECK (disability IN ('yes', 'no', 'prefer_not')),
    updated_at TIMESTAMPTZ NOT NULL
);

