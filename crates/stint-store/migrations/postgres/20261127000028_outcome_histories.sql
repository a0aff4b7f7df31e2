-- The outcomes report needs, for every confirmed student of a university,
-- their applications and engagements within any period: scanning them took
-- 300-500 ms for 20,000 students. Each student's history is now kept on one
-- row, rewritten by triggers in the same transaction as every change to
-- their applications, engagements or reviews, so the report reads one row
-- per student and does the arithmetic in memory.
--
-- applications: "created,hired,category" per application, ';' between;
-- engagements: "created,approved,cancelled,updated,currency,price_minor,
--   org_id,ratings,mutual" per engagement: times in Unix seconds (approved
--   empty until released), cancelled and mutual 0 or 1, ratings the three
--   digits of the employer's review of the student (empty without one),
--   mutual when the student has reviewed the employer too.
-- Affiliations are joined when the report is read, so confirming or ending
-- one needs no change here.
--
-- The triggers run once per statement over the students it touched. Each
-- locks those students' rows (in order) before rewriting them, so two
-- transactions changing one student's history write one after the other,
-- the second seeing the first's rows.

CREATE TABLE outcome_histories (
    student_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    applications TEXT NOT NULL DEFAULT '',
    engagements TEXT NOT NULL DEFAULT ''
);

-- What a student's row should say, from the rows themselves (the triggers
-- copy it; a test compares it with the table).
CREATE VIEW outcome_history_now AS
SELECT u.id AS student_id,
       COALESCE((SELECT string_agg(floor(extract(epoch FROM a.created_at))::bigint || ','
                                   || CASE WHEN a.status = 'hired' THEN '1' ELSE '0' END || ','
                                   || COALESCE(a.category, ''), ';')
                   FROM applications a WHERE a.student_id = u.id), '') AS applications,
       COALESCE((SELECT string_agg(floor(extract(epoch FROM e.created_at))::bigint || ','
                                   || COALESCE(floor(extract(epoch FROM e.approved_at))::bigint::text, '') || ','
                                   || CASE WHEN e.status = 'cancelled' THEN '1' ELSE '0' END || ','
                                   || floor(extract(epoch FROM e.updated_at))::bigint || ','
                                   || e.currency || ',' || e.price_minor || ',' || e.org_id || ','
                                   || COALESCE(r.rating_1::text || r.rating_2::text || r.rating_3::text, '') || ','
                                   || CASE WHEN EXISTS (SELECT 1 FROM reviews o
                                                         WHERE o.engagement_id = e.id AND o.direction = 'of_employer')
                                           THEN '1' ELSE '0' END, ';')
                   FROM engagements e
                   LEFT JOIN reviews r ON r.engagement_id = e.id AND r.direction = 'of_student'
                  WHERE e.student_id = u.id), '') AS engagements
  FROM users u;

INSERT INTO outcome_histories (student_id, applications, engagements)
SELECT student_id, applications, engagements FROM outcome_history_now
 WHERE student_id IN (SELECT student_id FROM applications UNION SELECT student_id FROM engagements);

-- Rewrites the rows of these students (those still there).
CREATE FUNCTION outcome_histories_refresh(p_students BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_histories (student_id)
    SELECT id FROM users WHERE id = ANY (p_students) ORDER BY id
    ON CONFLICT (student_id) DO NOTHING;
    PERFORM 1 FROM outcome_histories WHERE student_id = ANY (p_students) ORDER BY student_id FOR UPDATE;
    UPDATE outcome_histories h SET applications = n.applications, engagements = n.engagements
      FROM (SELECT * FROM outcome_history_now WHERE student_id = ANY (p_students)) n
     WHERE h.student_id = n.student_id;
END
$$;

CREATE FUNCTION outcome_histories_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outcome_histories_refresh(ARRAY(SELECT DISTINCT student_id FROM changed));
    RETURN NULL;
END
$$;

CREATE FUNCTION outcome_histories_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outcome_histories_refresh(ARRAY(
        SELECT DISTINCT e.student_id FROM changed c JOIN engagements e ON e.id = c.engagement_id));
    RETURN NULL;
END
$$;

CREATE TRIGGER outcome_history_applications_added AFTER INSERT ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_applications_changed AFTER UPDATE ON applications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_applications_removed AFTER DELETE ON applications
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_engagements_added AFTER INSERT ON engagements
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_engagements_changed AFTER UPDATE ON engagements
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_engagements_removed AFTER DELETE ON engagements
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_changed();
CREATE TRIGGER outcome_history_reviews_added AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_reviewed();
CREATE TRIGGER outcome_history_reviews_removed AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outcome_histories_reviewed();
