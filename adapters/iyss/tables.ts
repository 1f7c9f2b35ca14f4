/**
 * The IYSS legacy schema as it stands in production (MySQL): PascalCase columns, `tbl`/`tlkp`
 * prefixes, integer IDs, soft deletes (`IsDeleted` 0/1), and dates that are sometimes text.
 * Only the IYSS adapter imports this file.
 */
export interface IyssTables {
  tlkpEthnicity: { EthnicityCode: string; Description: string };
  tlkpActivityType: { ActivityTypeCode: string; Description: string };
  tlkpContactType: { ContactTypeCode: string; Description: string };
  /** CCIS-style activity codes for education, employment and training status. */
  tlkpNeetStatus: { NeetCode: string; Description: string; IsNEET: number };
  tblYoungPerson: {
    YoungPersonID: number;
    Forename: string;
    Surname: string;
    KnownAs: string | null;
    /** Text: 'YYYY-MM-DD' from the web form, 'DD/MM/YYYY' from the old import. Sometimes empty. */
    DOB: string | null;
    /** 'M', 'F', 'O' (other), 'U' (not stated). */
    Sex: string;
    EthnicityCode: string | null;
    AddressLine1: string | null;
    /** Free text: case and spacing vary ('e8 1ab', 'E81AB'). */
    Postcode: string | null;
    /** Unique Pupil Number, when the school supplied one. */
    UPN: string | null;
    IsDeleted: number;
    DateCreated: string;
    DateModified: string;
  };
  tblGroupSession: {
    GroupSessionID: number;
    ActivityTypeCode: string;
    SessionTitle: string;
    /** DATETIME. */
    SessionDate: string;
    Venue: string | null;
    IsDeleted: number;
  };
  tblAttendance: {
    AttendanceID: number;
    GroupSessionID: number;
    YoungPersonID: number;
    /** 'P' present, 'L' late, 'A' absent, 'E' excused. */
    AttendanceCode: string;
    IsDeleted: number;
  };
  tblContact: {
    ContactID: number;
    YoungPersonID: number;
    /** DATETIME. */
    ContactDate: string;
    ContactTypeCode: string;
    WorkerName: string | null;
    DurationMins: number | null;
    Notes: string | null;
    IsDeleted: number;
  };
  tblEducationStatus: {
    EducationStatusID: number;
    YoungPersonID: number;
    NeetCode: string;
    /** Text, always 'DD/MM/YYYY'. */
    EffectiveDate: string;
    Provider: string | null;
    IsDeleted: number;
  };
}
