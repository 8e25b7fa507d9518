BEGIN TRANSACTION;
CREATE TABLE assessment (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	taken_at DATETIME NOT NULL, 
	saved_by VARCHAR(80) NOT NULL, 
	comment TEXT NOT NULL, 
	version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_assessment_unit_time UNIQUE (unit_id, taken_at), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE assessment_answer (
	assessment_id INTEGER NOT NULL, 
	question_id VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (assessment_id, question_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE
);
CREATE TABLE assessment_area (
	assessment_id INTEGER NOT NULL, 
	area_id VARCHAR(64) NOT NULL, 
	level VARCHAR(20) NOT NULL CONSTRAINT ck_assessment_level CHECK (level IN ('not_started', 'in_progress', 'done')), 
	note TEXT NOT NULL, 
	PRIMARY KEY (assessment_id, area_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE
);
CREATE TABLE assessment_round (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	starts DATE NOT NULL, 
	due DATE NOT NULL, 
	opened_at DATETIME NOT NULL, 
	opened_by VARCHAR(80) NOT NULL, 
	closed_at DATETIME, 
	closed_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_round_window CHECK (due >= starts), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE assessment_trait (
	assessment_id INTEGER NOT NULL, 
	trait_id VARCHAR(64) NOT NULL, 
	rating INTEGER NOT NULL CONSTRAINT ck_assessment_rating CHECK (rating >= 1), 
	PRIMARY KEY (assessment_id, trait_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE
);
CREATE TABLE audit (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(80) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	unit_id INTEGER, 
	"before" TEXT, 
	"after" TEXT, 
	PRIMARY KEY (id)
);
INSERT INTO "audit" VALUES(1,'2024-11-04 09:00:02.000000','','','unit.create',1,NULL,'{"name": "Åby kommun", "parent_id": null}');
INSERT INTO "audit" VALUES(2,'2024-11-04 09:00:04.000000','','','unit.create',2,NULL,'{"name": "Barn- och utbildningsförvaltningen", "parent_id": 1}');
INSERT INTO "audit" VALUES(3,'2024-11-04 09:00:06.000000','','','unit.create',3,NULL,'{"name": "Förskolan Ängen", "parent_id": 2}');
INSERT INTO "audit" VALUES(4,'2024-11-04 09:00:08.000000','','','unit.create',4,NULL,'{"name": "Grundskolan Källbäcken", "parent_id": 2}');
INSERT INTO "audit" VALUES(5,'2024-11-04 09:00:10.000000','','','unit.create',5,NULL,'{"name": "Vård- och omsorgsförvaltningen", "parent_id": 1}');
INSERT INTO "audit" VALUES(6,'2024-11-04 09:00:12.000000','','','unit.create',6,NULL,'{"name": "Hemtjänst Öst", "parent_id": 5}');
INSERT INTO "audit" VALUES(7,'2024-11-04 09:00:14.000000','','','unit.create',7,NULL,'{"name": "Dagverksamheten Solgården", "parent_id": 5}');
INSERT INTO "audit" VALUES(8,'2024-11-18 14:00:02.000000','Göran Ångström','','state.status',7,'{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}','{"note": "Klart före flytten", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}');
INSERT INTO "audit" VALUES(9,'2024-11-18 14:00:04.000000','','','state.status',4,'{"note": "", "practice_id": "s2-informal-learning", "revision": 0, "status": "not_started"}','{"note": "", "practice_id": "s2-informal-learning", "revision": 1, "status": "in_progress"}');
INSERT INTO "audit" VALUES(10,'2025-01-13 10:00:04.000000','','','snapshot.import',6,NULL,'{"practices_created": [], "skipped": 0, "snapshots": 1, "units_created": 0}');
INSERT INTO "audit" VALUES(11,'2025-01-15 10:00:02.000000','','','practice.add',NULL,NULL,'{"id": "custom-largrupp-for-nya-medarbetare", "step": 2, "title": "Lärgrupp för nya medarbetare"}');
INSERT INTO "audit" VALUES(12,'2025-01-15 10:00:04.000000','','','practice.add',NULL,NULL,'{"id": "custom-manadens-kunskapsdelning", "step": 3, "title": "Månadens kunskapsdelning"}');
INSERT INTO "audit" VALUES(13,'2025-02-11 08:30:02.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}','{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 1, "status": "in_progress"}');
INSERT INTO "audit" VALUES(14,'2025-02-11 08:30:04.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 0, "status": "not_started"}','{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 1, "status": "not_started"}');
INSERT INTO "audit" VALUES(15,'2025-02-11 08:30:06.000000','Åsa Öberg','','state.note',3,'{"note": "", "practice_id": "s1-anytime-anywhere", "revision": 1, "status": "not_started"}','{"note": "Behöver läsplattor först", "practice_id": "s1-anytime-anywhere", "revision": 2, "status": "not_started"}');
INSERT INTO "audit" VALUES(16,'2025-02-11 08:30:08.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 0, "status": "not_started"}','{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 1, "status": "in_progress"}');
INSERT INTO "audit" VALUES(17,'2025-02-11 08:30:11.000000','Åsa Öberg','','snapshot.save',3,NULL,'{"snapshot_id": 2, "taken_at": "2025-02-10T14:00:00"}');
INSERT INTO "audit" VALUES(18,'2025-03-04 08:00:02.000000','Göran Ångström','','state.status',6,'{"note": "", "practice_id": "s1-goal-linked", "revision": 0, "status": "not_started"}','{"note": "", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}');
INSERT INTO "audit" VALUES(19,'2025-03-04 08:00:04.000000','Göran Ångström','','state.status',6,'{"note": "", "practice_id": "s2-performance", "revision": 0, "status": "not_started"}','{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 1, "status": "in_progress"}');
INSERT INTO "audit" VALUES(20,'2025-03-04 08:00:06.000000','Göran Ångström','','state.status',6,'{"note": "", "practice_id": "s3-sharing-culture", "revision": 0, "status": "not_started"}','{"note": "Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)", "practice_id": "s3-sharing-culture", "revision": 1, "status": "not_applicable"}');
INSERT INTO "audit" VALUES(21,'2025-03-04 08:00:09.000000','Göran Ångström','','snapshot.save',6,NULL,'{"snapshot_id": 3, "taken_at": "2025-03-03T10:00:00"}');
INSERT INTO "audit" VALUES(22,'2025-05-13 09:00:02.000000','Åsa Öberg','','state.status',3,'{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 1, "status": "in_progress"}','{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}');
INSERT INTO "audit" VALUES(23,'2025-05-13 09:00:04.000000','Lena Ek','','state.status',3,'{"note": "", "practice_id": "s1-measure-effect", "revision": 0, "status": "not_started"}','{"note": "Enkät efter varje \"studiedag\";\nresultaten till ledningsgruppen", "practice_id": "s1-measure-effect", "revision": 1, "status": "in_progress"}');
INSERT INTO "audit" VALUES(24,'2025-05-13 09:00:06.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "s2-just-in-time", "revision": 0, "status": "not_started"}','{"note": "Ej aktuellt: förskolan har inga digitala lärresurser ännu", "practice_id": "s2-just-in-time", "revision": 1, "status": "not_applicable"}');
INSERT INTO "audit" VALUES(25,'2025-05-13 09:00:08.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "custom-manadens-kunskapsdelning", "revision": 0, "status": "not_started"}','{"note": "Sedan mars", "practice_id": "custom-manadens-kunskapsdelning", "revision": 1, "status": "done"}');
INSERT INTO "audit" VALUES(26,'2025-05-13 09:00:11.000000','Åsa Öberg','','snapshot.save',3,NULL,'{"snapshot_id": 4, "taken_at": "2025-05-12T13:30:00"}');
INSERT INTO "audit" VALUES(27,'2025-06-02 11:00:02.000000','','','practice.archive',NULL,NULL,'{"archived": true, "id": "custom-manadens-kunskapsdelning"}');
INSERT INTO "audit" VALUES(28,'2025-06-02 11:00:04.000000','','','unit.archive',7,'{"archived": false}','{"archived": true}');
INSERT INTO "audit" VALUES(29,'2025-09-16 08:00:02.000000','Lena Ek','','state.status',3,'{"note": "", "practice_id": "s1-local-ownership", "revision": 0, "status": "not_started"}','{"note": "Arbetslagen äger", "practice_id": "s1-local-ownership", "revision": 1, "status": "done"}');
INSERT INTO "audit" VALUES(30,'2025-09-16 08:00:04.000000','Lena Ek','','state.note',3,'{"note": "Målen på APT", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}','{"note": "Målen följs upp varje månad", "practice_id": "s1-goal-linked", "revision": 3, "status": "done"}');
INSERT INTO "audit" VALUES(31,'2025-09-16 08:00:06.000000','Åsa Öberg','','state.status',3,'{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 1, "status": "in_progress"}','{"note": "", "practice_id": "custom-largrupp-for-nya-medarbetare", "revision": 2, "status": "done"}');
INSERT INTO "audit" VALUES(32,'2025-09-16 08:00:09.000000','Lena Ek','','snapshot.save',3,NULL,'{"snapshot_id": 5, "taken_at": "2025-09-15T15:45:00"}');
INSERT INTO "audit" VALUES(33,'2025-10-07 09:00:02.000000','Göran Ångström','','state.status',6,'{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 1, "status": "in_progress"}','{"note": "Kvalitetsdialog varje månad; ''brukarens röst'' först", "practice_id": "s2-performance", "revision": 2, "status": "done"}');
INSERT INTO "audit" VALUES(34,'2025-10-07 09:00:04.000000','Lena Ek','','state.note',6,'{"note": "", "practice_id": "s1-goal-linked", "revision": 1, "status": "done"}','{"note": "Målen finns på whiteboarden ✓", "practice_id": "s1-goal-linked", "revision": 2, "status": "done"}');
INSERT INTO "audit" VALUES(35,'2025-10-07 09:00:07.000000','Lena Ek','','snapshot.save',6,NULL,'{"snapshot_id": 6, "taken_at": "2025-10-06T16:00:00"}');
CREATE TABLE custom_practice (
	id VARCHAR(64) NOT NULL, 
	step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 3), 
	dimensions VARCHAR(64) NOT NULL, 
	title_sv VARCHAR(200) NOT NULL, 
	title_en VARCHAR(200) NOT NULL, 
	description_sv TEXT NOT NULL, 
	description_en TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	archived_at DATETIME, 
	PRIMARY KEY (id)
);
INSERT INTO "custom_practice" VALUES('custom-largrupp-for-nya-medarbetare',2,'people,processes','Lärgrupp för nya medarbetare','Learning group for new staff','Nya medarbetare träffas varannan vecka under första halvåret.','Nya medarbetare träffas varannan vecka under första halvåret.','2025-01-15 10:00:01.000000',NULL);
INSERT INTO "custom_practice" VALUES('custom-manadens-kunskapsdelning',3,'systems','Månadens kunskapsdelning','Knowledge sharing of the month','','','2025-01-15 10:00:03.000000','2025-06-02 11:00:01.000000');
CREATE TABLE evidence (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	practice_id VARCHAR(64) NOT NULL, 
	url VARCHAR(2000) NOT NULL, 
	description VARCHAR(200) NOT NULL, 
	added_at DATETIME NOT NULL, 
	added_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(255) NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('schema_version','5');
INSERT INTO "meta" VALUES('revision.units','8');
INSERT INTO "meta" VALUES('revision.practices','3');
INSERT INTO "meta" VALUES('revision.snapshots','6');
CREATE TABLE person (
	id INTEGER NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	issuer VARCHAR(255), 
	subject VARCHAR(255), 
	created_at DATETIME NOT NULL, 
	bound_at DATETIME, 
	erased_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_person_email UNIQUE (email), 
	CONSTRAINT uq_person_identity UNIQUE (issuer, subject)
);
CREATE TABLE plan_item (
	unit_id INTEGER NOT NULL, 
	practice_id VARCHAR(64) NOT NULL, 
	owner VARCHAR(80) NOT NULL, 
	due DATE, 
	action TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(80) NOT NULL, 
	revision INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (unit_id, practice_id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE practice_state (
	unit_id INTEGER NOT NULL, 
	practice_id VARCHAR(64) NOT NULL, 
	status VARCHAR(20) NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'not_applicable')), 
	note TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(80) NOT NULL, 
	revision INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (unit_id, practice_id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
INSERT INTO "practice_state" VALUES(7,'s1-goal-linked','done','Klart före flytten','2024-11-18 14:00:01.000000','Göran Ångström',1);
INSERT INTO "practice_state" VALUES(4,'s2-informal-learning','in_progress','','2024-11-18 14:00:03.000000','',1);
INSERT INTO "practice_state" VALUES(3,'s1-goal-linked','done','Målen följs upp varje månad','2025-09-16 08:00:03.000000','Lena Ek',3);
INSERT INTO "practice_state" VALUES(3,'s1-anytime-anywhere','not_started','Behöver läsplattor först','2025-02-11 08:30:05.000000','Åsa Öberg',2);
INSERT INTO "practice_state" VALUES(3,'custom-largrupp-for-nya-medarbetare','done','','2025-09-16 08:00:05.000000','Åsa Öberg',2);
INSERT INTO "practice_state" VALUES(6,'s1-goal-linked','done','Målen finns på whiteboarden ✓','2025-10-07 09:00:03.000000','Lena Ek',2);
INSERT INTO "practice_state" VALUES(6,'s2-performance','done','Kvalitetsdialog varje månad; ''brukarens röst'' först','2025-10-07 09:00:01.000000','Göran Ångström',2);
INSERT INTO "practice_state" VALUES(6,'s3-sharing-culture','not_applicable','Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)','2025-03-04 08:00:05.000000','Göran Ångström',1);
INSERT INTO "practice_state" VALUES(3,'s1-measure-effect','in_progress','Enkät efter varje "studiedag";
resultaten till ledningsgruppen','2025-05-13 09:00:03.000000','Lena Ek',1);
INSERT INTO "practice_state" VALUES(3,'s2-just-in-time','not_applicable','Ej aktuellt: förskolan har inga digitala lärresurser ännu','2025-05-13 09:00:05.000000','Åsa Öberg',1);
INSERT INTO "practice_state" VALUES(3,'custom-manadens-kunskapsdelning','done','Sedan mars','2025-05-13 09:00:07.000000','Åsa Öberg',1);
INSERT INTO "practice_state" VALUES(3,'s1-local-ownership','done','Arbetslagen äger','2025-09-16 08:00:01.000000','Lena Ek',1);
CREATE TABLE role_grant (
	id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	role VARCHAR(16) NOT NULL CHECK (role IN ('admin', 'manager', 'editor', 'viewer')), 
	unit_id INTEGER, 
	granted_at DATETIME NOT NULL, 
	granted_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE, 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE round_answer (
	round_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	snapshot_id INTEGER, 
	taken_at DATETIME, 
	step_reached INTEGER, 
	maturity FLOAT, 
	saved_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (round_id, unit_id), 
	FOREIGN KEY(round_id) REFERENCES assessment_round (id) ON DELETE CASCADE
);
CREATE TABLE snapshot (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	taken_at DATETIME NOT NULL, 
	saved_by VARCHAR(80) NOT NULL, 
	comment TEXT NOT NULL, 
	catalogue_version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	step_reached INTEGER DEFAULT '0' NOT NULL, 
	maturity FLOAT, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_snapshot_unit_time UNIQUE (unit_id, taken_at), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
INSERT INTO "snapshot" VALUES(1,6,'2024-11-20 13:15:00.000000','Göran Ångström','Pappersenkät hösten 2024',1,'2025-01-13 10:00:03.000000',0,2.22222222222222209886e-01);
INSERT INTO "snapshot" VALUES(2,3,'2025-02-10 14:00:00.000000','Åsa Öberg','Första genomgången på APT',1,'2025-02-11 08:30:10.000000',0,8.33333333333333287074e-02);
INSERT INTO "snapshot" VALUES(3,6,'2025-03-03 10:00:00.000000','Göran Ångström','Självskattning efter omorganisationen',1,'2025-03-04 08:00:08.000000',0,1.36363636363636353543e-01);
INSERT INTO "snapshot" VALUES(4,3,'2025-05-12 13:30:00.000000','Åsa Öberg','Uppföljning i maj',1,'2025-05-13 09:00:10.000000',0,2.72727272727272707086e-01);
INSERT INTO "snapshot" VALUES(5,3,'2025-09-15 15:45:00.000000','Lena Ek','',1,'2025-09-16 08:00:08.000000',0,0.35);
INSERT INTO "snapshot" VALUES(6,6,'2025-10-06 16:00:00.000000','Lena Ek','Höstens uppföljning',1,'2025-10-07 09:00:06.000000',0,0.2);
CREATE TABLE snapshot_practice (
	snapshot_id INTEGER NOT NULL, 
	practice_id VARCHAR(64) NOT NULL, 
	step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 3), 
	status VARCHAR(20) NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'not_applicable')), 
	note TEXT NOT NULL, 
	PRIMARY KEY (snapshot_id, practice_id), 
	FOREIGN KEY(snapshot_id) REFERENCES snapshot (id) ON DELETE CASCADE
);
INSERT INTO "snapshot_practice" VALUES(1,'s1-goal-linked',1,'in_progress','Målen är kända');
INSERT INTO "snapshot_practice" VALUES(1,'s1-anytime-anywhere',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(1,'s1-measure-effect',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(1,'s1-local-ownership',1,'in_progress','Två rader:
gruppledarna äger frågan');
INSERT INTO "snapshot_practice" VALUES(1,'s2-performance',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(1,'s2-learning-in-roles',2,'done','');
INSERT INTO "snapshot_practice" VALUES(1,'s2-just-in-time',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(1,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(1,'s3-sharing-environments',3,'not_applicable','Ingen plattform; beslut väntar');
INSERT INTO "snapshot_practice" VALUES(1,'s3-sharing-culture',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s1-goal-linked',1,'in_progress','Målen på APT');
INSERT INTO "snapshot_practice" VALUES(2,'s1-anytime-anywhere',1,'not_started','Behöver läsplattor först');
INSERT INTO "snapshot_practice" VALUES(2,'s1-measure-effect',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s1-local-ownership',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s2-performance',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s2-learning-in-roles',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s2-just-in-time',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'custom-largrupp-for-nya-medarbetare',2,'in_progress','');
INSERT INTO "snapshot_practice" VALUES(2,'s3-sharing-environments',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'s3-sharing-culture',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(2,'custom-manadens-kunskapsdelning',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s1-goal-linked',1,'done','');
INSERT INTO "snapshot_practice" VALUES(3,'s1-anytime-anywhere',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s1-measure-effect',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s1-local-ownership',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s2-performance',2,'in_progress','Kvalitetsdialog varje månad; ''brukarens röst'' först');
INSERT INTO "snapshot_practice" VALUES(3,'s2-learning-in-roles',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s2-just-in-time',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'custom-largrupp-for-nya-medarbetare',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s3-sharing-environments',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(3,'s3-sharing-culture',3,'not_applicable','Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)');
INSERT INTO "snapshot_practice" VALUES(3,'custom-manadens-kunskapsdelning',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'s1-goal-linked',1,'done','Målen på APT');
INSERT INTO "snapshot_practice" VALUES(4,'s1-anytime-anywhere',1,'not_started','Behöver läsplattor först');
INSERT INTO "snapshot_practice" VALUES(4,'s1-measure-effect',1,'in_progress','Enkät efter varje "studiedag";
resultaten till ledningsgruppen');
INSERT INTO "snapshot_practice" VALUES(4,'s1-local-ownership',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'s2-performance',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'s2-learning-in-roles',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'s2-just-in-time',2,'not_applicable','Ej aktuellt: förskolan har inga digitala lärresurser ännu');
INSERT INTO "snapshot_practice" VALUES(4,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'custom-largrupp-for-nya-medarbetare',2,'in_progress','');
INSERT INTO "snapshot_practice" VALUES(4,'s3-sharing-environments',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'s3-sharing-culture',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(4,'custom-manadens-kunskapsdelning',3,'done','Sedan mars');
INSERT INTO "snapshot_practice" VALUES(5,'s1-goal-linked',1,'done','Målen följs upp varje månad');
INSERT INTO "snapshot_practice" VALUES(5,'s1-anytime-anywhere',1,'not_started','Behöver läsplattor först');
INSERT INTO "snapshot_practice" VALUES(5,'s1-measure-effect',1,'in_progress','Enkät efter varje "studiedag";
resultaten till ledningsgruppen');
INSERT INTO "snapshot_practice" VALUES(5,'s1-local-ownership',1,'done','Arbetslagen äger');
INSERT INTO "snapshot_practice" VALUES(5,'s2-performance',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(5,'s2-learning-in-roles',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(5,'s2-just-in-time',2,'not_applicable','Ej aktuellt: förskolan har inga digitala lärresurser ännu');
INSERT INTO "snapshot_practice" VALUES(5,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(5,'custom-largrupp-for-nya-medarbetare',2,'done','');
INSERT INTO "snapshot_practice" VALUES(5,'s3-sharing-environments',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(5,'s3-sharing-culture',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s1-goal-linked',1,'done','Målen finns på whiteboarden ✓');
INSERT INTO "snapshot_practice" VALUES(6,'s1-anytime-anywhere',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s1-measure-effect',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s1-local-ownership',1,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s2-performance',2,'done','Kvalitetsdialog varje månad; ''brukarens röst'' först');
INSERT INTO "snapshot_practice" VALUES(6,'s2-learning-in-roles',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s2-just-in-time',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s2-informal-learning',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'custom-largrupp-for-nya-medarbetare',2,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s3-sharing-environments',3,'not_started','');
INSERT INTO "snapshot_practice" VALUES(6,'s3-sharing-culture',3,'not_applicable','Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)');
CREATE TABLE target (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	step INTEGER CHECK (step BETWEEN 1 AND 3), 
	due DATE, 
	set_at DATETIME NOT NULL, 
	set_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE unit (
	id INTEGER NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	parent_id INTEGER, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(parent_id) REFERENCES unit (id) ON DELETE RESTRICT
);
INSERT INTO "unit" VALUES(1,'Åby kommun',NULL,NULL,'2024-11-04 09:00:01.000000');
INSERT INTO "unit" VALUES(2,'Barn- och utbildningsförvaltningen',1,NULL,'2024-11-04 09:00:03.000000');
INSERT INTO "unit" VALUES(3,'Förskolan Ängen',2,NULL,'2024-11-04 09:00:05.000000');
INSERT INTO "unit" VALUES(4,'Grundskolan Källbäcken',2,NULL,'2024-11-04 09:00:07.000000');
INSERT INTO "unit" VALUES(5,'Vård- och omsorgsförvaltningen',1,NULL,'2024-11-04 09:00:09.000000');
INSERT INTO "unit" VALUES(6,'Hemtjänst Öst',5,NULL,'2024-11-04 09:00:11.000000');
INSERT INTO "unit" VALUES(7,'Dagverksamheten Solgården',5,'2025-06-02 11:00:03.000000','2024-11-04 09:00:13.000000');
CREATE INDEX ix_unit_parent ON unit (parent_id);
CREATE INDEX ix_audit_email ON audit (email);
CREATE INDEX ix_audit_unit ON audit (unit_id);
CREATE INDEX ix_audit_at ON audit (at);
CREATE INDEX ix_target_unit ON target (unit_id, set_at);
CREATE INDEX ix_round_unit ON assessment_round (unit_id);
CREATE INDEX ix_evidence_unit_practice ON evidence (unit_id, practice_id);
CREATE INDEX ix_role_grant_person ON role_grant (person_id);
COMMIT;
