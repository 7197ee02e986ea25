-- A database an auditor can open with the SQLite they have (issue 27).
--
-- models_words (0008) was contentless with contentless_delete, which needs
-- SQLite 3.43; Debian 12's sqlite3 (3.40) then refused every statement that
-- touched the schema. It becomes an ordinary FTS5 table, readable from
-- 3.37 on: the same words, the same prefixes, the same upkeep (the triggers
-- of 0011 name it and keep working), at the cost of its own copy of the
-- folded text.
DROP TABLE models_words;
CREATE VIRTUAL TABLE models_words USING fts5(search_fold,
	tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2', detail = none);
INSERT INTO models_words(rowid, search_fold) SELECT rowid, search_fold FROM models WHERE deleted_at = '' ORDER BY rowid;

-- Vietnamese names of the codes the tables store, for the views below. They
-- are the texts the window and the printouts use (a test holds them to the
-- translation files), so an inspector reads the same words.
CREATE TABLE nhan (
	loai TEXT NOT NULL,
	ma   TEXT NOT NULL,
	ten  TEXT NOT NULL,
	PRIMARY KEY (loai, ma)
) WITHOUT ROWID;
INSERT INTO nhan(loai, ma, ten) VALUES
	('kind', 'model', 'Mô hình'),
	('kind', 'exemplar', 'Điển hình'),
	('field', 'economy', 'Kinh tế'),
	('field', 'culture_society', 'Văn hóa - xã hội'),
	('field', 'defence_security', 'Quốc phòng - an ninh'),
	('field', 'political_system', 'Xây dựng hệ thống chính trị'),
	('status', 'registered', 'Đã đăng ký'),
	('status', 'implementing', 'Đang thực hiện'),
	('status', 'evaluated', 'Đã đánh giá'),
	('status', 'recognised', 'Được công nhận'),
	('status', 'maintained', 'Duy trì, nhân rộng'),
	('status', 'discontinued', 'Dừng thực hiện'),
	('rating', 'excellent', 'Xuất sắc'),
	('rating', 'good', 'Tốt'),
	('rating', 'pass', 'Đạt'),
	('rating', 'fail', 'Không đạt'),
	('level', 'commune', 'Cấp xã'),
	('level', 'district', 'Cấp huyện'),
	('level', 'province', 'Cấp tỉnh'),
	('level', 'central', 'Trung ương'),
	('office_kind', 'xa', 'Xã'),
	('office_kind', 'phuong', 'Phường'),
	('office_kind', 'thitran', 'Thị trấn'),
	('office_kind', 'huyen', 'Huyện'),
	('office_kind', 'tinh', 'Tỉnh'),
	('office_kind', 'khac', 'Khác'),
	('action', 'insert', 'Thêm mới'),
	('action', 'update', 'Sửa'),
	('action', 'delete', 'Xóa'),
	('action', 'close', 'Chốt kỳ'),
	('action', 'reopen', 'Mở lại kỳ'),
	('action', 'export', 'Xuất dữ liệu'),
	('action', 'import', 'Nhập dữ liệu'),
	('action', 'receipt', 'Biên nhận'),
	('action', 'login', 'Đăng nhập'),
	('action', 'login_failed', 'Đăng nhập sai'),
	('action', 'backup', 'Sao lưu'),
	('action', 'restore', 'Khôi phục'),
	('action', 'setup', 'Thiết lập');

-- Read-only views with Vietnamese column names (docs/kiem-tra-du-lieu.md).
-- Dates print as dd/mm/yyyy with substr, which every SQLite shell has.
-- Live rows only: a deleted record stays in its table, for the chain, and
-- out of the views.
CREATE VIEW v_mo_hinh AS
SELECT
	m.id AS "Mã",
	o.code AS "Mã đơn vị",
	o.name AS "Đơn vị",
	k.ten AS "Loại",
	m.name AS "Tên mô hình, điển hình",
	f.ten AS "Lĩnh vực",
	m.year AS "Năm đăng ký",
	m.body AS "Đơn vị đăng ký",
	m.location AS "Địa bàn",
	m.person_name AS "Người phụ trách",
	m.person_title AS "Chức vụ",
	m.person_phone AS "Điện thoại",
	m.tasks AS "Nhiệm vụ",
	s.ten AS "Tình trạng",
	COALESCE(r.ten, '') AS "Xếp loại",
	COALESCE(l.ten, '') AS "Cấp công nhận",
	m.decision_no AS "Số quyết định",
	CASE WHEN m.decision_date = '' THEN '' ELSE substr(m.decision_date, 9, 2) || '/' || substr(m.decision_date, 6, 2) || '/' || substr(m.decision_date, 1, 4) END AS "Ngày quyết định",
	m.stop_reason AS "Lý do dừng",
	m.revision AS "Lần sửa",
	m.updated_at AS "Cập nhật lúc (UTC)",
	m.updated_by AS "Người cập nhật"
FROM models AS m
JOIN offices AS o ON o.id = m.owner_office_id
LEFT JOIN nhan AS k ON k.loai = 'kind' AND k.ma = m.kind
LEFT JOIN nhan AS f ON f.loai = 'field' AND f.ma = m.field
LEFT JOIN nhan AS s ON s.loai = 'status' AND s.ma = m.status
LEFT JOIN nhan AS r ON r.loai = 'rating' AND r.ma = m.rating
LEFT JOIN nhan AS l ON l.loai = 'level' AND l.ma = m.recognition_level
WHERE m.deleted_at = '';

-- Biểu số 06/VPCP/KSTT, one row per unit, period and field, with the
-- form's columns (3) to (13). A blank cell was not reported (NULL).
CREATE VIEW v_bieu_06 AS
SELECT
	o.code AS "Mã đơn vị",
	o.name AS "Đơn vị",
	p.code AS "Kỳ báo cáo",
	substr(p.start_date, 9, 2) || '/' || substr(p.start_date, 6, 2) || '/' || substr(p.start_date, 1, 4) AS "Từ ngày",
	substr(p.end_date, 9, 2) || '/' || substr(p.end_date, 6, 2) || '/' || substr(p.end_date, 1, 4) AS "Đến ngày",
	CASE p.closed WHEN 1 THEN 'Đã chốt' ELSE 'Chưa chốt' END AS "Chốt số liệu",
	f.position AS "STT",
	f.name AS "Lĩnh vực giải quyết",
	t.c3 AS "(3) Tiếp nhận: tổng số",
	t.c4 AS "(4) Trực tuyến",
	t.c5 AS "(5) Trực tiếp, dịch vụ bưu chính",
	t.c6 AS "(6) Từ kỳ trước",
	t.c7 AS "(7) Đã giải quyết: tổng số",
	t.c8 AS "(8) Trước hạn",
	t.c9 AS "(9) Đúng hạn",
	t.c10 AS "(10) Quá hạn",
	t.c11 AS "(11) Đang giải quyết: tổng số",
	t.c12 AS "(12) Trong hạn",
	t.c13 AS "(13) Quá hạn",
	t.updated_at AS "Cập nhật lúc (UTC)",
	t.updated_by AS "Người cập nhật"
FROM tallies AS t
JOIN periods AS p ON p.id = t.period_id
JOIN tally_fields AS f ON f.id = t.field_id
JOIN offices AS o ON o.id = t.owner_office_id
WHERE t.deleted_at = '';

-- The audit trail: who did what, when, with the old and new values as the
-- program recorded them (JSON).
CREATE VIEW v_nhat_ky AS
SELECT
	a.id AS "Số",
	a.at AS "Thời điểm (UTC)",
	a.user_name AS "Người thực hiện",
	COALESCE(n.ten, a.action) AS "Thao tác",
	a.action AS "Mã thao tác",
	a.entity AS "Đối tượng",
	a.entity_id AS "Mã đối tượng",
	a.old_json AS "Giá trị cũ",
	a.new_json AS "Giá trị mới"
FROM audit AS a
LEFT JOIN nhan AS n ON n.loai = 'action' AND n.ma = a.action;
