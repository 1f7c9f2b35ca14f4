/**
 * The synthetic text stored for each DMS document: a few lines in the shape of the real thing
 * (letter, report, form), headed so that no reader can mistake it for a record of a real person.
 */

/** First line of every document; tests and reviewers look for it. */
export const SYNTHETIC_BANNER = 'SYNTHETIC TEST DOCUMENT - not a real record; every name and detail in it is invented.';

export interface DocumentContentFields {
  documentId: number;
  /** `dm_doc_type.doc_type_cd`. */
  kindCode: string;
  kindDescription: string;
  /** ISO date the document was filed. */
  filedOn: string;
  /** The subject's name, or a neutral phrase when the seed was not given the population. */
  forename: string;
  fullName: string;
  /** e.g. `IYSS 10001`. */
  subjectReference: string;
  authorName: string | null;
  /** A detail picked by the seed (venue, court, referrer, page count ...), so documents differ. */
  detail: string;
}

const ukDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function body(f: DocumentContentFields): string[] {
  switch (f.kindCode) {
    case 'LTRAPT':
      return [`Dear ${f.forename},`, `This synthetic letter invites you to meet your worker at ${f.detail}.`,
        'Please phone the office if you cannot come.'];
    case 'LTRGEN':
      return [`Dear ${f.forename},`, `This synthetic letter confirms what we agreed: ${f.detail}.`];
    case 'LTRSAF':
      return [`To the parent or carer of ${f.fullName},`,
        `This synthetic letter records a safeguarding concern (${f.detail}) and the next steps agreed.`];
    case 'LTRBRW':
      return [`Dear ${f.forename},`, `This synthetic letter is a formal warning: ${f.detail}.`,
        'A further missed appointment may lead to a return to court.'];
    case 'PSR':
    case 'CRTPRG':
      return [`Synthetic report to ${f.detail} about ${f.fullName}.`, 'Recommendation: to be read with the AssetPlus assessment.'];
    case 'SCANYS':
    case 'SCANYO':
      return [`Synthetic scan of a paper file for ${f.fullName}: ${f.detail}.`, 'Scanned and indexed by the scanning bureau.'];
    case 'REFMAR':
    case 'REFPOL':
      return [`Synthetic referral of ${f.fullName}, received from ${f.detail}.`, 'Consent to share: recorded on the form.'];
    case 'PLNSUP':
    case 'PLNINT':
      return [`Synthetic plan for ${f.fullName}.`, `Goal: ${f.detail}.`, 'Review in twelve weeks.'];
    default:
      return [`Synthetic assessment of ${f.fullName}.`, `Main area of concern: ${f.detail}.`, 'Scores are recorded in the case system.'];
  }
}

export function documentContent(f: DocumentContentFields): string {
  return [
    SYNTHETIC_BANNER,
    `Young Hackney (synthetic) - ${f.kindDescription}`,
    `DMS reference ${f.documentId}, filed ${ukDate(f.filedOn)}, about ${f.fullName} (${f.subjectReference})`,
    '',
    ...body(f),
    '',
    `Author: ${f.authorName ?? 'not recorded'}`,
    '',
  ].join('\n');
}
