"""Full-text and fuzzy search over courses.

Two columns on `courses`, kept by the database and not by the model (they are derived data, and
every course would otherwise carry its tsvector through every query that loads it):

- `search_document`: a weighted tsvector, title and code A, subject names B, description C, in
  the `catalog_search` configuration (English stemming after `unaccent`, so "Mécanique",
  "mecanique" and "MECANIQUE" are one word); GIN-indexed for `@@`.
- `search_text`: title, code and subject names, unaccented and lower-cased; GIN-indexed with
  trigram operators for `word_similarity` (`<%`), which finds misspellings.

Triggers keep both current whoever writes (services, the admin, bulk loads with COPY): a course
row recomputes its own on insert and when its title, code, description or primary subject
changes; inserting, changing or deleting course_subjects rows and renaming a subject refresh the
courses concerned. Subject names come from the course's primary subject and its tagged subjects.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD = r"""
CREATE TEXT SEARCH CONFIGURATION catalog_search (COPY = english);
ALTER TEXT SEARCH CONFIGURATION catalog_search
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

ALTER TABLE courses
    ADD COLUMN search_document tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN search_text text NOT NULL DEFAULT '';

CREATE FUNCTION catalog_course_subject_names(p_course_id bigint, p_primary_subject_id bigint)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(s.name, ' ' ORDER BY s.name), '')
    FROM subjects s
    WHERE s.id = p_primary_subject_id
       OR s.id IN (SELECT cs.subject_id FROM course_subjects cs WHERE cs.course_id = p_course_id)
$$;

CREATE FUNCTION catalog_course_search_document(
    p_title text, p_code text, p_subjects text, p_description text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('catalog_search', concat_ws(' ', p_title, p_code)), 'A')
        || setweight(to_tsvector('catalog_search', coalesce(p_subjects, '')), 'B')
        || setweight(to_tsvector('catalog_search', coalesce(p_description, '')), 'C')
$$;

CREATE FUNCTION catalog_course_search_text(p_title text, p_code text, p_subjects text)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT lower(unaccent(concat_ws(' ', p_title, p_code, p_subjects)))
$$;

CREATE FUNCTION catalog_course_search_refresh(p_course_ids bigint[])
RETURNS void LANGUAGE sql AS $$
    UPDATE courses c
    SET search_document = catalog_course_search_document(c.title, c.code, n.names, c.description),
        search_text = catalog_course_search_text(c.title, c.code, n.names)
    FROM (
        SELECT id, catalog_course_subject_names(id, primary_subject_id) AS names
        FROM courses WHERE id = ANY(p_course_ids)
    ) n
    WHERE c.id = n.id
$$;

CREATE FUNCTION catalog_courses_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    names text := catalog_course_subject_names(NEW.id, NEW.primary_subject_id);
BEGIN
    NEW.search_document := catalog_course_search_document(NEW.title, NEW.code, names, NEW.description);
    NEW.search_text := catalog_course_search_text(NEW.title, NEW.code, names);
    RETURN NEW;
END
$$;

CREATE TRIGGER courses_search_row
    BEFORE INSERT OR UPDATE OF title, code, description, primary_subject_id ON courses
    FOR EACH ROW EXECUTE FUNCTION catalog_courses_search_row();

CREATE FUNCTION catalog_course_subjects_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM catalog_course_search_refresh(ARRAY(SELECT DISTINCT course_id FROM new_rows));
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM catalog_course_search_refresh(ARRAY(SELECT DISTINCT course_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER course_subjects_search_insert
    AFTER INSERT ON course_subjects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_course_subjects_search();
CREATE TRIGGER course_subjects_search_update
    AFTER UPDATE ON course_subjects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_course_subjects_search();
CREATE TRIGGER course_subjects_search_delete
    AFTER DELETE ON course_subjects REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_course_subjects_search();

CREATE FUNCTION catalog_subjects_search_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalog_course_search_refresh(ARRAY(
        SELECT course_id FROM course_subjects WHERE subject_id = NEW.id
        UNION
        SELECT id FROM courses WHERE primary_subject_id = NEW.id
    ));
    RETURN NULL;
END
$$;

CREATE TRIGGER subjects_search_rename
    AFTER UPDATE OF name ON subjects
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION catalog_subjects_search_rename();

SELECT catalog_course_search_refresh(ARRAY(SELECT id FROM courses));

CREATE INDEX ix_courses_search_document ON courses USING gin (search_document);
CREATE INDEX ix_courses_search_text_trgm ON courses USING gin (search_text gin_trgm_ops);
"""

BACKWARD = r"""
DROP TRIGGER subjects_search_rename ON subjects;
DROP FUNCTION catalog_subjects_search_rename();
DROP TRIGGER course_subjects_search_insert ON course_subjects;
DROP TRIGGER course_subjects_search_update ON course_subjects;
DROP TRIGGER course_subjects_search_delete ON course_subjects;
DROP FUNCTION catalog_course_subjects_search();
DROP TRIGGER courses_search_row ON courses;
DROP FUNCTION catalog_courses_search_row();
DROP FUNCTION catalog_course_search_refresh(bigint[]);
DROP FUNCTION catalog_course_search_text(text, text, text);
DROP FUNCTION catalog_course_search_document(text, text, text, text);
DROP FUNCTION catalog_course_subject_names(bigint, bigint);
ALTER TABLE courses DROP COLUMN search_document, DROP COLUMN search_text;
DROP TEXT SEARCH CONFIGURATION catalog_search;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_add_offering_capacity_and_approval")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
