/**
 * The DMS legacy metadata schema as it stands in production (MySQL): snake_case `dm_` tables, an
 * integer document ID, its own two-letter codes for the systems a document is about, protective
 * markings as text, and a '0'/'1' text flag for soft deletes. Content lives in a file store under
 * `storage_path`. Only the DMS adapter imports this file.
 */
export interface DmsTables {
  /** Fine-grained document kinds; `doc_group_cd` groups them into the handful the service reports on. */
  dm_doc_type: {
    doc_type_cd: string;
    doc_type_desc: string;
    /** 'ASSESS', 'CORR', 'COURT', 'SCAN', 'REFER' or 'PLAN'. */
    doc_group_cd: string;
  };
  /** DMS logins; accounts of people who left the council are deleted, so some authors have no row. */
  dm_user: {
    user_login: string;
    display_name: string;
  };
  dm_document: {
    doc_id: number;
    doc_title: string;
    doc_type_cd: string;
    /** 'YS' (IYSS), 'UM' (UMIS) or 'YO' (YOIS): the system whose record `subject_ref` names. */
    subject_system: string;
    /**
     * The subject's ID in that system, as text: IYSS and YOIS integers; UMIS GUIDs in lower case, or
     * `{UPPER-CASE}` with braces where the scanning bureau's import wrote them.
     */
    subject_ref: string;
    /** 'OFFICIAL', 'OFFICIAL-SENSITIVE' (older rows 'OFFICIAL SENSITIVE') or 'RESTRICTED'; sometimes missing. */
    security_class: string | null;
    /** DATETIME. */
    created_ts: string;
    /** DATETIME. */
    modified_ts: string;
    author_login: string | null;
    mime_type: string;
    byte_size: number;
    /** Relative path of the content in the file store. */
    storage_path: string;
    /** '0' live, '1' purged (soft-deleted). */
    purged: string;
  };
}
