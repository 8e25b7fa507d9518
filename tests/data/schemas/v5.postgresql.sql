--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: __SCHEMA__; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA IF NOT EXISTS __SCHEMA__;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: assessment; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.assessment (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    taken_at timestamp without time zone NOT NULL,
    saved_by character varying(80) NOT NULL,
    comment text NOT NULL,
    version integer NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: assessment_answer; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.assessment_answer (
    assessment_id integer NOT NULL,
    question_id character varying(64) NOT NULL,
    text text NOT NULL
);


--
-- Name: assessment_area; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.assessment_area (
    assessment_id integer NOT NULL,
    area_id character varying(64) NOT NULL,
    level character varying(20) NOT NULL,
    note text NOT NULL,
    CONSTRAINT ck_assessment_level CHECK (((level)::text = ANY ((ARRAY['not_started'::character varying, 'in_progress'::character varying, 'done'::character varying])::text[])))
);


--
-- Name: assessment_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.assessment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessment_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.assessment_id_seq OWNED BY __SCHEMA__.assessment.id;


--
-- Name: assessment_round; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.assessment_round (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    name character varying(200) NOT NULL,
    starts date NOT NULL,
    due date NOT NULL,
    opened_at timestamp without time zone NOT NULL,
    opened_by character varying(80) NOT NULL,
    closed_at timestamp without time zone,
    closed_by character varying(80) NOT NULL,
    CONSTRAINT ck_round_window CHECK ((due >= starts))
);


--
-- Name: assessment_round_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.assessment_round_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessment_round_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.assessment_round_id_seq OWNED BY __SCHEMA__.assessment_round.id;


--
-- Name: assessment_trait; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.assessment_trait (
    assessment_id integer NOT NULL,
    trait_id character varying(64) NOT NULL,
    rating integer NOT NULL,
    CONSTRAINT ck_assessment_rating CHECK ((rating >= 1))
);


--
-- Name: audit; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.audit (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    actor character varying(80) NOT NULL,
    email character varying(254) NOT NULL,
    action character varying(64) NOT NULL,
    unit_id integer,
    before text,
    after text
);


--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.audit_id_seq OWNED BY __SCHEMA__.audit.id;


--
-- Name: custom_practice; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.custom_practice (
    id character varying(64) NOT NULL,
    step integer NOT NULL,
    dimensions character varying(64) NOT NULL,
    title_sv character varying(200) NOT NULL,
    title_en character varying(200) NOT NULL,
    description_sv text NOT NULL,
    description_en text NOT NULL,
    created_at timestamp without time zone NOT NULL,
    archived_at timestamp without time zone,
    CONSTRAINT custom_practice_step_check CHECK (((step >= 1) AND (step <= 3)))
);


--
-- Name: evidence; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.evidence (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    practice_id character varying(64) NOT NULL,
    url character varying(2000) NOT NULL,
    description character varying(200) NOT NULL,
    added_at timestamp without time zone NOT NULL,
    added_by character varying(80) NOT NULL
);


--
-- Name: evidence_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.evidence_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: evidence_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.evidence_id_seq OWNED BY __SCHEMA__.evidence.id;


--
-- Name: meta; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.meta (
    key character varying(64) NOT NULL,
    value character varying(255) NOT NULL
);


--
-- Name: person; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.person (
    id integer NOT NULL,
    email character varying(254) NOT NULL,
    name character varying(80) NOT NULL,
    issuer character varying(255),
    subject character varying(255),
    created_at timestamp without time zone NOT NULL,
    bound_at timestamp without time zone,
    erased_at timestamp without time zone
);


--
-- Name: person_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.person_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: person_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.person_id_seq OWNED BY __SCHEMA__.person.id;


--
-- Name: plan_item; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.plan_item (
    unit_id integer NOT NULL,
    practice_id character varying(64) NOT NULL,
    owner character varying(80) NOT NULL,
    due date,
    action text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by character varying(80) NOT NULL,
    revision integer DEFAULT 0 NOT NULL
);


--
-- Name: practice_state; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.practice_state (
    unit_id integer NOT NULL,
    practice_id character varying(64) NOT NULL,
    status character varying(20) NOT NULL,
    note text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by character varying(80) NOT NULL,
    revision integer DEFAULT 0 NOT NULL,
    CONSTRAINT practice_state_status_check CHECK (((status)::text = ANY ((ARRAY['not_started'::character varying, 'in_progress'::character varying, 'done'::character varying, 'not_applicable'::character varying])::text[])))
);


--
-- Name: role_grant; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.role_grant (
    id integer NOT NULL,
    person_id integer NOT NULL,
    role character varying(16) NOT NULL,
    unit_id integer,
    granted_at timestamp without time zone NOT NULL,
    granted_by character varying(80) NOT NULL,
    CONSTRAINT role_grant_role_check CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'manager'::character varying, 'editor'::character varying, 'viewer'::character varying])::text[])))
);


--
-- Name: role_grant_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.role_grant_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: role_grant_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.role_grant_id_seq OWNED BY __SCHEMA__.role_grant.id;


--
-- Name: round_answer; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.round_answer (
    round_id integer NOT NULL,
    unit_id integer NOT NULL,
    snapshot_id integer,
    taken_at timestamp without time zone,
    step_reached integer,
    maturity double precision,
    saved_by character varying(80) NOT NULL
);


--
-- Name: snapshot; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.snapshot (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    taken_at timestamp without time zone NOT NULL,
    saved_by character varying(80) NOT NULL,
    comment text NOT NULL,
    catalogue_version integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    step_reached integer DEFAULT 0 NOT NULL,
    maturity double precision
);


--
-- Name: snapshot_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.snapshot_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: snapshot_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.snapshot_id_seq OWNED BY __SCHEMA__.snapshot.id;


--
-- Name: snapshot_practice; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.snapshot_practice (
    snapshot_id integer NOT NULL,
    practice_id character varying(64) NOT NULL,
    step integer NOT NULL,
    status character varying(20) NOT NULL,
    note text NOT NULL,
    CONSTRAINT snapshot_practice_status_check CHECK (((status)::text = ANY ((ARRAY['not_started'::character varying, 'in_progress'::character varying, 'done'::character varying, 'not_applicable'::character varying])::text[]))),
    CONSTRAINT snapshot_practice_step_check CHECK (((step >= 1) AND (step <= 3)))
);


--
-- Name: target; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.target (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    step integer,
    due date,
    set_at timestamp without time zone NOT NULL,
    set_by character varying(80) NOT NULL,
    CONSTRAINT target_step_check CHECK (((step >= 1) AND (step <= 3)))
);


--
-- Name: target_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.target_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: target_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.target_id_seq OWNED BY __SCHEMA__.target.id;


--
-- Name: unit; Type: TABLE; Schema: __SCHEMA__; Owner: -
--

CREATE TABLE __SCHEMA__.unit (
    id integer NOT NULL,
    name character varying(80) NOT NULL,
    parent_id integer,
    archived_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: unit_id_seq; Type: SEQUENCE; Schema: __SCHEMA__; Owner: -
--

CREATE SEQUENCE __SCHEMA__.unit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: unit_id_seq; Type: SEQUENCE OWNED BY; Schema: __SCHEMA__; Owner: -
--

ALTER SEQUENCE __SCHEMA__.unit_id_seq OWNED BY __SCHEMA__.unit.id;


--
-- Name: assessment id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.assessment_id_seq'::regclass);


--
-- Name: assessment_round id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_round ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.assessment_round_id_seq'::regclass);


--
-- Name: audit id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.audit ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.audit_id_seq'::regclass);


--
-- Name: evidence id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.evidence ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.evidence_id_seq'::regclass);


--
-- Name: person id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.person ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.person_id_seq'::regclass);


--
-- Name: role_grant id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.role_grant ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.role_grant_id_seq'::regclass);


--
-- Name: snapshot id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.snapshot_id_seq'::regclass);


--
-- Name: target id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.target ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.target_id_seq'::regclass);


--
-- Name: unit id; Type: DEFAULT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.unit ALTER COLUMN id SET DEFAULT nextval('__SCHEMA__.unit_id_seq'::regclass);


--
-- Data for Name: assessment; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: assessment_answer; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: assessment_area; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: assessment_round; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: assessment_trait; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: audit; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (1, '2024-11-04 09:00:02', '', '', 'unit.create', 1, NULL, '{"name": "Åby kommun", "parent_id": null}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (2, '2024-11-04 09:00:04', '', '', 'unit.create', 2, NULL, '{"name": "Barn- och utbildningsförvaltningen", "parent_id": 1}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (3, '2024-11-04 09:00:06', '', '', 'unit.create', 3, NULL, '{"name": "Förskolan Ängen", "parent_id": 2}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (4, '2024-11-04 09:00:08', '', '', 'unit.create', 4, NULL, '{"name": "Grundskolan Källbäcken", "parent_id": 2}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (5, '2024-11-04 09:00:10', '', '', 'unit.create', 5, NULL, '{"name": "Vård- och omsorgsförvaltningen", "parent_id": 1}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (6, '2024-11-04 09:00:12', '', '', 'unit.create', 6, NULL, '{"name": "Hemtjänst Öst", "parent_id": 5}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (7, '2024-11-04 09:00:14', '', '', 'unit.create', 7, NULL, '{"name": "Dagverksamheten Solgården", "parent_id": 5}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (8, '2024-11-18 14:00:02', 'Göran Ångström', '', 'state.status', 7, '{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}', '{"note": "Klart före flytten", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (9, '2024-11-18 14:00:04', '', '', 'state.status', 4, '{"note": "", "practice_id": "s2-informal-learning", "revision": 0, "status": "not_started"}', '{"note": "", "practice_id": "s2-informal-learning", "revision": 1, "status": "in_progress"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (10, '2025-01-13 10:00:04', '', '', 'snapshot.import', 6, NULL, '{"practices_created": [], "skipped": 0, "snapshots": 1, "units_created": 0}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (11, '2025-01-15 10:00:02', '', '', 'practice.add', NULL, NULL, '{"id": "custom-largrupp-for-nya-medarbetare", "step": 2, "title": "Lärgrupp för nya medarbetare"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (12, '2025-01-15 10:00:04', '', '', 'practice.add', NULL, NULL, '{"id": "custom-manadens-kunskapsdelning", "step": 3, "title": "Månadens kunskapsdelning"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (13, '2025-02-11 08:30:02', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}', '{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 1, "status": "in_progress"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (14, '2025-02-11 08:30:04', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 0, "status": "not_started"}', '{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 1, "status": "not_started"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (15, '2025-02-11 08:30:06', 'Åsa Öberg', '', 'state.note', 3, '{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 1, "status": "not_started"}', '{"note": "Behöver läsplattor först", "practice_id": "s1-anytime-anywhere", "revision": 2, "status": "not_started"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (16, '2025-02-11 08:30:08', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 0, "status": "not_started"}', '{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 1, "status": "in_progress"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (17, '2025-02-11 08:30:11', 'Åsa Öberg', '', 'snapshot.save', 3, NULL, '{"snapshot_id": 2, "taken_at": "2025-02-10T14:00:00"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (18, '2025-03-04 08:00:02', 'Göran Ångström', '', 'state.status', 6, '{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}', '{"note": "", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (19, '2025-03-04 08:00:04', 'Göran Ångström', '', 'state.status', 6, '{"note": "", "practice_id": "s2-performance", "revision": 0, "status": "not_started"}', '{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 1, "status": "in_progress"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (20, '2025-03-04 08:00:06', 'Göran Ångström', '', 'state.status', 6, '{"note": "", "practice_id": "s3-sharing-culture", "revision": 0, "status": "not_started"}', '{"note": "Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)", "practice_id": "s3-sharing-culture", "revision": 1, "status": "not_applicable"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (21, '2025-03-04 08:00:09', 'Göran Ångström', '', 'snapshot.save', 6, NULL, '{"snapshot_id": 3, "taken_at": "2025-03-03T10:00:00"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (22, '2025-05-13 09:00:02', 'Åsa Öberg', '', 'state.status', 3, '{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 1, "status": "in_progress"}', '{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (23, '2025-05-13 09:00:04', 'Lena Ek', '', 'state.status', 3, '{"note": "", "practice_id": "s1-measure-effect", "revision": 0, "status": "not_started"}', '{"note": "Enkät efter varje \"studiedag\";\nresultaten till ledningsgruppen", "practice_id": "s1-measure-effect", "revision": 1, "status": "in_progress"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (24, '2025-05-13 09:00:06', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "s2-just-in-time", "revision": 0, "status": "not_started"}', '{"note": "Ej aktuellt: förskolan har inga digitala lärresurser ännu", "practice_id": "s2-just-in-time", "revision": 1, "status": "not_applicable"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (25, '2025-05-13 09:00:08', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "custom-manadens-kunskapsdelning", "revision": 0, "status": "not_started"}', '{"note": "Sedan mars", "practice_id": "custom-manadens-kunskapsdelning", "revision": 1, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (26, '2025-05-13 09:00:11', 'Åsa Öberg', '', 'snapshot.save', 3, NULL, '{"snapshot_id": 4, "taken_at": "2025-05-12T13:30:00"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (27, '2025-06-02 11:00:02', '', '', 'practice.archive', NULL, NULL, '{"archived": true, "id": "custom-manadens-kunskapsdelning"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (28, '2025-06-02 11:00:04', '', '', 'unit.archive', 7, '{"archived": false}', '{"archived": true}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (29, '2025-09-16 08:00:02', 'Lena Ek', '', 'state.status', 3, '{"note": "", "practice_id": "s1-local-ownership", "revision": 0, "status": "not_started"}', '{"note": "Arbetslagen äger", "practice_id": "s1-local-ownership", "revision": 1, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (30, '2025-09-16 08:00:04', 'Lena Ek', '', 'state.note', 3, '{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}', '{"note": "Målen följs upp varje månad", "practice_id": "s1-goal-linked", "revision": 3, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (31, '2025-09-16 08:00:06', 'Åsa Öberg', '', 'state.status', 3, '{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 1, "status": "in_progress"}', '{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 2, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (32, '2025-09-16 08:00:09', 'Lena Ek', '', 'snapshot.save', 3, NULL, '{"snapshot_id": 5, "taken_at": "2025-09-15T15:45:00"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (33, '2025-10-07 09:00:02', 'Göran Ångström', '', 'state.status', 6, '{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 1, "status": "in_progress"}', '{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 2, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (34, '2025-10-07 09:00:04', 'Lena Ek', '', 'state.note', 6, '{"note": "", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}', '{"note": "Målen finns på whiteboarden ✓", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}');
INSERT INTO __SCHEMA__.audit (id, at, actor, email, action, unit_id, before, after) VALUES (35, '2025-10-07 09:00:07', 'Lena Ek', '', 'snapshot.save', 6, NULL, '{"snapshot_id": 6, "taken_at": "2025-10-06T16:00:00"}');


--
-- Data for Name: custom_practice; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.custom_practice (id, step, dimensions, title_sv, title_en, description_sv, description_en, created_at, archived_at) VALUES ('custom-largrupp-for-nya-medarbetare', 2, 'people,processes', 'Lärgrupp för nya medarbetare', 'Learning group for new staff', 'Nya medarbetare träffas varannan vecka under första halvåret.', 'Nya medarbetare träffas varannan vecka under första halvåret.', '2025-01-15 10:00:01', NULL);
INSERT INTO __SCHEMA__.custom_practice (id, step, dimensions, title_sv, title_en, description_sv, description_en, created_at, archived_at) VALUES ('custom-manadens-kunskapsdelning', 3, 'systems', 'Månadens kunskapsdelning', 'Knowledge sharing of the month', '', '', '2025-01-15 10:00:03', '2025-06-02 11:00:01');


--
-- Data for Name: evidence; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: meta; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.meta (key, value) VALUES ('schema_version', '5');
INSERT INTO __SCHEMA__.meta (key, value) VALUES ('revision.practices', '3');
INSERT INTO __SCHEMA__.meta (key, value) VALUES ('revision.units', '8');
INSERT INTO __SCHEMA__.meta (key, value) VALUES ('revision.snapshots', '6');


--
-- Data for Name: person; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: plan_item; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: practice_state; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (7, 's1-goal-linked', 'done', 'Klart före flytten', '2024-11-18 14:00:01', 'Göran Ångström', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (4, 's2-informal-learning', 'in_progress', '', '2024-11-18 14:00:03', '', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 's1-anytime-anywhere', 'not_started', 'Behöver läsplattor först', '2025-02-11 08:30:05', 'Åsa Öberg', 2);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (6, 's3-sharing-culture', 'not_applicable', 'Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)', '2025-03-04 08:00:05', 'Göran Ångström', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 's1-measure-effect', 'in_progress', 'Enkät efter varje "studiedag";
resultaten till ledningsgruppen', '2025-05-13 09:00:03', 'Lena Ek', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 's2-just-in-time', 'not_applicable', 'Ej aktuellt: förskolan har inga digitala lärresurser ännu', '2025-05-13 09:00:05', 'Åsa Öberg', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 'custom-manadens-kunskapsdelning', 'done', 'Sedan mars', '2025-05-13 09:00:07', 'Åsa Öberg', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 's1-local-ownership', 'done', 'Arbetslagen äger', '2025-09-16 08:00:01', 'Lena Ek', 1);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 's1-goal-linked', 'done', 'Målen följs upp varje månad', '2025-09-16 08:00:03', 'Lena Ek', 3);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (3, 'custom-largrupp-for-nya-medarbetare', 'done', '', '2025-09-16 08:00:05', 'Åsa Öberg', 2);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (6, 's2-performance', 'done', 'Kvalitetsdialog varje månad; ''brukarens röst'' först', '2025-10-07 09:00:01', 'Göran Ångström', 2);
INSERT INTO __SCHEMA__.practice_state (unit_id, practice_id, status, note, updated_at, updated_by, revision) VALUES (6, 's1-goal-linked', 'done', 'Målen finns på whiteboarden ✓', '2025-10-07 09:00:03', 'Lena Ek', 2);


--
-- Data for Name: role_grant; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: round_answer; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: snapshot; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (1, 6, '2024-11-20 13:15:00', 'Göran Ångström', 'Pappersenkät hösten 2024', 1, '2025-01-13 10:00:03', 0, 0.2222222222222222);
INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (2, 3, '2025-02-10 14:00:00', 'Åsa Öberg', 'Första genomgången på APT', 1, '2025-02-11 08:30:10', 0, 0.08333333333333333);
INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (3, 6, '2025-03-03 10:00:00', 'Göran Ångström', 'Självskattning efter omorganisationen', 1, '2025-03-04 08:00:08', 0, 0.13636363636363635);
INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (4, 3, '2025-05-12 13:30:00', 'Åsa Öberg', 'Uppföljning i maj', 1, '2025-05-13 09:00:10', 0, 0.2727272727272727);
INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (5, 3, '2025-09-15 15:45:00', 'Lena Ek', '', 1, '2025-09-16 08:00:08', 0, 0.35);
INSERT INTO __SCHEMA__.snapshot (id, unit_id, taken_at, saved_by, comment, catalogue_version, created_at, step_reached, maturity) VALUES (6, 6, '2025-10-06 16:00:00', 'Lena Ek', 'Höstens uppföljning', 1, '2025-10-07 09:00:06', 0, 0.2);


--
-- Data for Name: snapshot_practice; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's1-goal-linked', 1, 'in_progress', 'Målen är kända');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's1-anytime-anywhere', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's1-measure-effect', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's1-local-ownership', 1, 'in_progress', 'Två rader:
gruppledarna äger frågan');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's2-performance', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's2-learning-in-roles', 2, 'done', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's2-just-in-time', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's3-sharing-environments', 3, 'not_applicable', 'Ingen plattform; beslut väntar');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (1, 's3-sharing-culture', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's1-goal-linked', 1, 'in_progress', 'Målen på APT');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's1-anytime-anywhere', 1, 'not_started', 'Behöver läsplattor först');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's1-measure-effect', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's1-local-ownership', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's2-performance', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's2-learning-in-roles', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's2-just-in-time', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 'custom-largrupp-for-nya-medarbetare', 2, 'in_progress', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's3-sharing-environments', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 's3-sharing-culture', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (2, 'custom-manadens-kunskapsdelning', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's1-goal-linked', 1, 'done', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's1-anytime-anywhere', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's1-measure-effect', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's1-local-ownership', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's2-performance', 2, 'in_progress', 'Kvalitetsdialog varje månad; ''brukarens röst'' först');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's2-learning-in-roles', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's2-just-in-time', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 'custom-largrupp-for-nya-medarbetare', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's3-sharing-environments', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 's3-sharing-culture', 3, 'not_applicable', 'Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (3, 'custom-manadens-kunskapsdelning', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's1-goal-linked', 1, 'done', 'Målen på APT');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's1-anytime-anywhere', 1, 'not_started', 'Behöver läsplattor först');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's1-measure-effect', 1, 'in_progress', 'Enkät efter varje "studiedag";
resultaten till ledningsgruppen');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's1-local-ownership', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's2-performance', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's2-learning-in-roles', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's2-just-in-time', 2, 'not_applicable', 'Ej aktuellt: förskolan har inga digitala lärresurser ännu');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 'custom-largrupp-for-nya-medarbetare', 2, 'in_progress', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's3-sharing-environments', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 's3-sharing-culture', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (4, 'custom-manadens-kunskapsdelning', 3, 'done', 'Sedan mars');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's1-goal-linked', 1, 'done', 'Målen följs upp varje månad');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's1-anytime-anywhere', 1, 'not_started', 'Behöver läsplattor först');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's1-measure-effect', 1, 'in_progress', 'Enkät efter varje "studiedag";
resultaten till ledningsgruppen');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's1-local-ownership', 1, 'done', 'Arbetslagen äger');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's2-performance', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's2-learning-in-roles', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's2-just-in-time', 2, 'not_applicable', 'Ej aktuellt: förskolan har inga digitala lärresurser ännu');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 'custom-largrupp-for-nya-medarbetare', 2, 'done', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's3-sharing-environments', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (5, 's3-sharing-culture', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's1-goal-linked', 1, 'done', 'Målen finns på whiteboarden ✓');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's1-anytime-anywhere', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's1-measure-effect', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's1-local-ownership', 1, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's2-performance', 2, 'done', 'Kvalitetsdialog varje månad; ''brukarens röst'' först');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's2-learning-in-roles', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's2-just-in-time', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's2-informal-learning', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 'custom-largrupp-for-nya-medarbetare', 2, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's3-sharing-environments', 3, 'not_started', '');
INSERT INTO __SCHEMA__.snapshot_practice (snapshot_id, practice_id, step, status, note) VALUES (6, 's3-sharing-culture', 3, 'not_applicable', 'Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)');


--
-- Data for Name: target; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--



--
-- Data for Name: unit; Type: TABLE DATA; Schema: __SCHEMA__; Owner: -
--

INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (1, 'Åby kommun', NULL, NULL, '2024-11-04 09:00:01');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (2, 'Barn- och utbildningsförvaltningen', 1, NULL, '2024-11-04 09:00:03');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (3, 'Förskolan Ängen', 2, NULL, '2024-11-04 09:00:05');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (4, 'Grundskolan Källbäcken', 2, NULL, '2024-11-04 09:00:07');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (5, 'Vård- och omsorgsförvaltningen', 1, NULL, '2024-11-04 09:00:09');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (6, 'Hemtjänst Öst', 5, NULL, '2024-11-04 09:00:11');
INSERT INTO __SCHEMA__.unit (id, name, parent_id, archived_at, created_at) VALUES (7, 'Dagverksamheten Solgården', 5, '2025-06-02 11:00:03', '2024-11-04 09:00:13');


--
-- Name: assessment_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.assessment_id_seq', 1, false);


--
-- Name: assessment_round_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.assessment_round_id_seq', 1, false);


--
-- Name: audit_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.audit_id_seq', 35, true);


--
-- Name: evidence_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.evidence_id_seq', 1, false);


--
-- Name: person_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.person_id_seq', 1, false);


--
-- Name: role_grant_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.role_grant_id_seq', 1, false);


--
-- Name: snapshot_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.snapshot_id_seq', 6, true);


--
-- Name: target_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.target_id_seq', 1, false);


--
-- Name: unit_id_seq; Type: SEQUENCE SET; Schema: __SCHEMA__; Owner: -
--

SELECT pg_catalog.setval('__SCHEMA__.unit_id_seq', 7, true);


--
-- Name: assessment_answer assessment_answer_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_answer
    ADD CONSTRAINT assessment_answer_pkey PRIMARY KEY (assessment_id, question_id);


--
-- Name: assessment_area assessment_area_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_area
    ADD CONSTRAINT assessment_area_pkey PRIMARY KEY (assessment_id, area_id);


--
-- Name: assessment assessment_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment
    ADD CONSTRAINT assessment_pkey PRIMARY KEY (id);


--
-- Name: assessment_round assessment_round_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_round
    ADD CONSTRAINT assessment_round_pkey PRIMARY KEY (id);


--
-- Name: assessment_trait assessment_trait_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_trait
    ADD CONSTRAINT assessment_trait_pkey PRIMARY KEY (assessment_id, trait_id);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: custom_practice custom_practice_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.custom_practice
    ADD CONSTRAINT custom_practice_pkey PRIMARY KEY (id);


--
-- Name: evidence evidence_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.evidence
    ADD CONSTRAINT evidence_pkey PRIMARY KEY (id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: person person_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.person
    ADD CONSTRAINT person_pkey PRIMARY KEY (id);


--
-- Name: plan_item plan_item_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.plan_item
    ADD CONSTRAINT plan_item_pkey PRIMARY KEY (unit_id, practice_id);


--
-- Name: practice_state practice_state_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.practice_state
    ADD CONSTRAINT practice_state_pkey PRIMARY KEY (unit_id, practice_id);


--
-- Name: role_grant role_grant_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.role_grant
    ADD CONSTRAINT role_grant_pkey PRIMARY KEY (id);


--
-- Name: round_answer round_answer_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.round_answer
    ADD CONSTRAINT round_answer_pkey PRIMARY KEY (round_id, unit_id);


--
-- Name: snapshot snapshot_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot
    ADD CONSTRAINT snapshot_pkey PRIMARY KEY (id);


--
-- Name: snapshot_practice snapshot_practice_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot_practice
    ADD CONSTRAINT snapshot_practice_pkey PRIMARY KEY (snapshot_id, practice_id);


--
-- Name: target target_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.target
    ADD CONSTRAINT target_pkey PRIMARY KEY (id);


--
-- Name: unit unit_pkey; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.unit
    ADD CONSTRAINT unit_pkey PRIMARY KEY (id);


--
-- Name: assessment uq_assessment_unit_time; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment
    ADD CONSTRAINT uq_assessment_unit_time UNIQUE (unit_id, taken_at);


--
-- Name: person uq_person_email; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.person
    ADD CONSTRAINT uq_person_email UNIQUE (email);


--
-- Name: person uq_person_identity; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.person
    ADD CONSTRAINT uq_person_identity UNIQUE (issuer, subject);


--
-- Name: snapshot uq_snapshot_unit_time; Type: CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot
    ADD CONSTRAINT uq_snapshot_unit_time UNIQUE (unit_id, taken_at);


--
-- Name: ix_audit_at; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_audit_at ON __SCHEMA__.audit USING btree (at);


--
-- Name: ix_audit_email; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_audit_email ON __SCHEMA__.audit USING btree (email);


--
-- Name: ix_audit_unit; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_audit_unit ON __SCHEMA__.audit USING btree (unit_id);


--
-- Name: ix_evidence_unit_practice; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_evidence_unit_practice ON __SCHEMA__.evidence USING btree (unit_id, practice_id);


--
-- Name: ix_role_grant_person; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_role_grant_person ON __SCHEMA__.role_grant USING btree (person_id);


--
-- Name: ix_round_unit; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_round_unit ON __SCHEMA__.assessment_round USING btree (unit_id);


--
-- Name: ix_target_unit; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_target_unit ON __SCHEMA__.target USING btree (unit_id, set_at);


--
-- Name: ix_unit_parent; Type: INDEX; Schema: __SCHEMA__; Owner: -
--

CREATE INDEX ix_unit_parent ON __SCHEMA__.unit USING btree (parent_id);


--
-- Name: assessment_answer assessment_answer_assessment_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_answer
    ADD CONSTRAINT assessment_answer_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES __SCHEMA__.assessment(id) ON DELETE CASCADE;


--
-- Name: assessment_area assessment_area_assessment_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_area
    ADD CONSTRAINT assessment_area_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES __SCHEMA__.assessment(id) ON DELETE CASCADE;


--
-- Name: assessment_round assessment_round_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_round
    ADD CONSTRAINT assessment_round_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: assessment_trait assessment_trait_assessment_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment_trait
    ADD CONSTRAINT assessment_trait_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES __SCHEMA__.assessment(id) ON DELETE CASCADE;


--
-- Name: assessment assessment_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.assessment
    ADD CONSTRAINT assessment_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: evidence evidence_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.evidence
    ADD CONSTRAINT evidence_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: plan_item plan_item_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.plan_item
    ADD CONSTRAINT plan_item_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: practice_state practice_state_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.practice_state
    ADD CONSTRAINT practice_state_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: role_grant role_grant_person_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.role_grant
    ADD CONSTRAINT role_grant_person_id_fkey FOREIGN KEY (person_id) REFERENCES __SCHEMA__.person(id) ON DELETE CASCADE;


--
-- Name: role_grant role_grant_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.role_grant
    ADD CONSTRAINT role_grant_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: round_answer round_answer_round_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.round_answer
    ADD CONSTRAINT round_answer_round_id_fkey FOREIGN KEY (round_id) REFERENCES __SCHEMA__.assessment_round(id) ON DELETE CASCADE;


--
-- Name: snapshot_practice snapshot_practice_snapshot_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot_practice
    ADD CONSTRAINT snapshot_practice_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES __SCHEMA__.snapshot(id) ON DELETE CASCADE;


--
-- Name: snapshot snapshot_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.snapshot
    ADD CONSTRAINT snapshot_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: target target_unit_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.target
    ADD CONSTRAINT target_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES __SCHEMA__.unit(id) ON DELETE CASCADE;


--
-- Name: unit unit_parent_id_fkey; Type: FK CONSTRAINT; Schema: __SCHEMA__; Owner: -
--

ALTER TABLE ONLY __SCHEMA__.unit
    ADD CONSTRAINT unit_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES __SCHEMA__.unit(id) ON DELETE RESTRICT;


--
-- PostgreSQL database dump complete
--


