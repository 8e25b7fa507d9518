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
INSERT INTO "custom_practice" VALUES('custom-manadens-kunskapsdelning',3,'systems','Månadens kunskapsdelning','Knowledge sharing of the month','','','2025-01-15 10:00:02.000000','2025-06-02 11:00:01.000000');
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
INSERT INTO "meta" VALUES('schema_version','4');
INSERT INTO "meta" VALUES('revision.units','8');
INSERT INTO "meta" VALUES('revision.practices','3');
INSERT INTO "meta" VALUES('revision.snapshots','6');
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
INSERT INTO "practice_state" VALUES(4,'s2-informal-learning','in_progress','','2024-11-18 14:00:02.000000','',1);
INSERT INTO "practice_state" VALUES(3,'s1-goal-linked','done','Målen följs upp varje månad','2025-09-16 08:00:02.000000','Lena Ek',3);
INSERT INTO "practice_state" VALUES(3,'s1-anytime-anywhere','not_started','Behöver läsplattor först','2025-02-11 08:30:03.000000','Åsa Öberg',2);
INSERT INTO "practice_state" VALUES(3,'custom-largrupp-for-nya-medarbetare','done','','2025-09-16 08:00:03.000000','Åsa Öberg',2);
INSERT INTO "practice_state" VALUES(6,'s1-goal-linked','done','Målen finns på whiteboarden ✓','2025-10-07 09:00:02.000000','Lena Ek',2);
INSERT INTO "practice_state" VALUES(6,'s2-performance','done','Kvalitetsdialog varje månad; ''brukarens röst'' först','2025-10-07 09:00:01.000000','Göran Ångström',2);
INSERT INTO "practice_state" VALUES(6,'s3-sharing-culture','not_applicable','Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)','2025-03-04 08:00:03.000000','Göran Ångström',1);
INSERT INTO "practice_state" VALUES(3,'s1-measure-effect','in_progress','Enkät efter varje "studiedag";
resultaten till ledningsgruppen','2025-05-13 09:00:02.000000','Lena Ek',1);
INSERT INTO "practice_state" VALUES(3,'s2-just-in-time','not_applicable','Ej aktuellt: förskolan har inga digitala lärresurser ännu','2025-05-13 09:00:03.000000','Åsa Öberg',1);
INSERT INTO "practice_state" VALUES(3,'custom-manadens-kunskapsdelning','done','Sedan mars','2025-05-13 09:00:04.000000','Åsa Öberg',1);
INSERT INTO "practice_state" VALUES(3,'s1-local-ownership','done','Arbetslagen äger','2025-09-16 08:00:01.000000','Lena Ek',1);
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
INSERT INTO "snapshot" VALUES(2,3,'2025-02-10 14:00:00.000000','Åsa Öberg','Första genomgången på APT',1,'2025-02-11 08:30:06.000000',0,8.33333333333333287074e-02);
INSERT INTO "snapshot" VALUES(3,6,'2025-03-03 10:00:00.000000','Göran Ångström','Självskattning efter omorganisationen',1,'2025-03-04 08:00:05.000000',0,1.36363636363636353543e-01);
INSERT INTO "snapshot" VALUES(4,3,'2025-05-12 13:30:00.000000','Åsa Öberg','Uppföljning i maj',1,'2025-05-13 09:00:06.000000',0,2.72727272727272707086e-01);
INSERT INTO "snapshot" VALUES(5,3,'2025-09-15 15:45:00.000000','Lena Ek','',1,'2025-09-16 08:00:05.000000',0,0.35);
INSERT INTO "snapshot" VALUES(6,6,'2025-10-06 16:00:00.000000','Lena Ek','Höstens uppföljning',1,'2025-10-07 09:00:04.000000',0,0.2);
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
INSERT INTO "unit" VALUES(2,'Barn- och utbildningsförvaltningen',1,NULL,'2024-11-04 09:00:02.000000');
INSERT INTO "unit" VALUES(3,'Förskolan Ängen',2,NULL,'2024-11-04 09:00:03.000000');
INSERT INTO "unit" VALUES(4,'Grundskolan Källbäcken',2,NULL,'2024-11-04 09:00:04.000000');
INSERT INTO "unit" VALUES(5,'Vård- och omsorgsförvaltningen',1,NULL,'2024-11-04 09:00:05.000000');
INSERT INTO "unit" VALUES(6,'Hemtjänst Öst',5,NULL,'2024-11-04 09:00:06.000000');
INSERT INTO "unit" VALUES(7,'Dagverksamheten Solgården',5,'2025-06-02 11:00:02.000000','2024-11-04 09:00:07.000000');
CREATE INDEX ix_unit_parent ON unit (parent_id);
CREATE INDEX ix_target_unit ON target (unit_id, set_at);
CREATE INDEX ix_round_unit ON assessment_round (unit_id);
CREATE INDEX ix_evidence_unit_practice ON evidence (unit_id, practice_id);
COMMIT;
