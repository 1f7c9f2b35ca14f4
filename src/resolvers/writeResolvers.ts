import { PERSON_SYSTEMS, SYSTEM_TIER, type PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ForbiddenError, InvalidFieldError } from '../errors/errors';
import type { ChangeDeliveryResolvers, MutationResolvers, YoungPersonResolvers } from '../generated/graphql';
import { propagateChange, visibleDeliveries } from '../writes/propagateChange';
import { earlierResult, runRecordedWrite, type PlannedWrite, type RecordedWrite } from '../writes/runRecordedWrite';
import { calendarDate, idempotencyKey, intInRange, optionalText, pastDate, pastInstant, requiredText } from '../writes/validateInput';
import { visibleWriteTarget, writeTarget } from '../writes/writeTarget';
import { loadGolden } from './personRecords';

const MAX_NOTE = 2_000;
const MAX_REGISTER = 200;
/** What the DMS stores and the download route serves; anything else (executables, HTML) is refused. */
const DOCUMENT_CONTENT_TYPES = new Set([
  'application/pdf',
  'text/plain',
  'image/png',
  'image/jpeg',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const now = (context: GatewayContext): Date => context.services.clock.now();

/** The system a document of each classification tier is filed against, best first (the same tier, then lower, then higher). */
function subjectPreference(tier: number): PersonSystem[] {
  const order: PersonSystem[] = ['IYSS', 'UMIS', 'YOIS'];
  return [...order].sort((a, b) => {
    const da = SYSTEM_TIER[a] - tier;
    const db = SYSTEM_TIER[b] - tier;
    const rank = (d: number) => (d === 0 ? 0 : d < 0 ? 1 - d / 10 : 2 + d);
    return rank(da) - rank(db);
  });
}

/** Tier-2/3 material is written, like it is read, for a stated purpose the caller's roles may give. */
function requirePurposeAbove1(context: GatewayContext, tier: number, what: string): void {
  if (tier < 2) return;
  const { purposes } = context.authz.decide('YoungPerson.documents') as { purposes?: ReadonlySet<string> };
  if (!context.authz.purpose || !purposes?.has(context.authz.purpose)) {
    throw new ForbiddenError(`${what} needs a purpose your roles may state, in the X-Purpose header`, 'PURPOSE_REQUIRED');
  }
}

type OnePersonWrite = Pick<PlannedWrite, 'coordinate' | 'idempotencyKey' | 'system' | 'recordType' | 'inputName'>;

/**
 * One record for one young person, in the system that owns it: finds the person's record there (NOT_FOUND
 * alike for unknown and unseeable, see writeTarget), then writes it at most once for the key.
 */
async function writeForPerson(
  context: GatewayContext,
  plan: OnePersonWrite,
  personId: string,
  build: (sourceId: string) => Pick<PlannedWrite, 'request' | 'write'>,
): Promise<RecordedWrite> {
  const { person, record } = await writeTarget(context, plan.coordinate, personId, plan.system as PersonSystem);
  return runRecordedWrite(context, { ...plan, ...build(record.sourceId), personId: person.personId, involved: [person.personId] });
}

export const writeMutationResolvers: Pick<
  MutationResolvers,
  | 'recordContact'
  | 'recordGroupSession'
  | 'recordAssessment'
  | 'recordPlanReview'
  | 'recordAppointmentOutcome'
  | 'recordOrderProgressNote'
  | 'uploadDocument'
  | 'registerYoungPerson'
  | 'changeDemographics'
> = {
  recordContact: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordContact';
    const key = idempotencyKey(args.idempotencyKey);
    const contactDate = pastInstant('contact.contactDate', args.contact.contactDate, now(context));
    const contactType = requiredText('contact.contactType', args.contact.contactType, 20);
    const durationMinutes = intInRange('contact.durationMinutes', args.contact.durationMinutes, 1, 720);
    const notes = optionalText('contact.notes', args.contact.notes, MAX_NOTE);
    return writeForPerson(context, { coordinate, idempotencyKey: key, system: 'IYSS', recordType: 'IYSS contact', inputName: 'contact' }, args.personId, (sourceId) => {
      const contact = { personSourceId: sourceId, contactDate, contactTypeCode: contactType, workerName: context.principal.name, durationMinutes, notes };
      return { request: contact, write: () => context.services.writers.iyss.recordContact(contact) };
    });
  },

  recordGroupSession: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordGroupSession';
    const key = idempotencyKey(args.idempotencyKey);
    const { session } = args;
    const title = requiredText('session.title', session.title, 100);
    const activityType = requiredText('session.activityType', session.activityType, 20);
    const sessionDate = pastInstant('session.sessionDate', session.sessionDate, now(context));
    const venue = optionalText('session.venue', session.venue, 100);
    if (session.register.length === 0 || session.register.length > MAX_REGISTER) {
      throw new InvalidFieldError('session.register', `session.register must list from 1 to ${MAX_REGISTER} young people`, 'OUT_OF_RANGE');
    }
    const attendees = [];
    for (const entry of session.register) attendees.push({ ...(await writeTarget(context, coordinate, entry.personId, 'IYSS')), status: entry.status });
    const people = attendees.map((a) => a.person.personId);
    if (new Set(people).size !== people.length) throw new InvalidFieldError('session.register', 'session.register names a young person more than once', 'DUPLICATE');
    const write = {
      activityTypeCode: activityType,
      title,
      sessionDate,
      venue,
      attendance: attendees.map((a) => ({ personSourceId: a.record.sourceId, status: a.status })),
    };
    return runRecordedWrite(context, {
      coordinate,
      idempotencyKey: key,
      request: write,
      personId: null,
      involved: people,
      system: 'IYSS',
      recordType: 'IYSS group-work session',
      inputName: 'session',
      write: () => context.services.writers.iyss.recordGroupSession(write),
    });
  },

  recordAssessment: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordAssessment';
    const key = idempotencyKey(args.idempotencyKey);
    const { assessment } = args;
    if (assessment.status !== 'DRAFT' && assessment.status !== 'COMPLETED') {
      throw new InvalidFieldError('assessment.status', 'assessment.status must be DRAFT or COMPLETED: a new assessment cannot start cancelled', 'INVALID_VALUE');
    }
    const assessmentType = requiredText('assessment.assessmentType', assessment.assessmentType, 20);
    const startedOn = pastDate('assessment.startedOn', assessment.startedOn, now(context));
    const completedOn = assessment.completedOn ? pastDate('assessment.completedOn', assessment.completedOn, now(context)) : null;
    if (assessment.status === 'COMPLETED' && !completedOn) throw new InvalidFieldError('assessment.completedOn', 'A COMPLETED assessment needs completedOn', 'REQUIRED');
    if (completedOn && completedOn < startedOn) throw new InvalidFieldError('assessment.completedOn', 'assessment.completedOn is before startedOn', 'INVALID_VALUE');
    const seen = new Set<string>();
    const domains = assessment.domains.map((domain, index) => {
      if (seen.has(domain.domain)) throw new InvalidFieldError(`assessment.domains.${index}.domain`, `The domain ${domain.domain} is scored more than once`, 'DUPLICATE');
      seen.add(domain.domain);
      return {
        domain: domain.domain,
        score: intInRange(`assessment.domains.${index}.score`, domain.score, 0, 4)!,
        analysis: optionalText(`assessment.domains.${index}.analysis`, domain.analysis, MAX_NOTE),
      };
    });
    const summary = optionalText('assessment.summary', assessment.summary, 4_000);
    const { status } = assessment;
    return writeForPerson(context, { coordinate, idempotencyKey: key, system: 'UMIS', recordType: 'UMIS assessment', inputName: 'assessment' }, args.personId, (clientId) => {
      const write = { clientId, assessmentTypeCode: assessmentType, status, startedOn, completedOn, summary, domains };
      return { request: write, write: () => context.services.writers.umis.recordAssessment(write) };
    });
  },

  recordPlanReview: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordPlanReview';
    const key = idempotencyKey(args.idempotencyKey);
    const { review } = args;
    const planId = requiredText('review.planId', review.planId, 64);
    const reviewedOn = pastDate('review.reviewedOn', review.reviewedOn, now(context));
    const outcome = requiredText('review.outcome', review.outcome, 20);
    const notes = optionalText('review.notes', review.notes, MAX_NOTE);
    const nextReviewDate = review.nextReviewDate ? calendarDate('review.nextReviewDate', review.nextReviewDate) : null;
    if (nextReviewDate && nextReviewDate <= reviewedOn) throw new InvalidFieldError('review.nextReviewDate', 'review.nextReviewDate must be after reviewedOn', 'INVALID_VALUE');
    return writeForPerson(context, { coordinate, idempotencyKey: key, system: 'UMIS', recordType: 'UMIS plan review', inputName: 'review' }, args.personId, (clientId) => {
      const write = { clientId, planId, reviewedOn, outcomeCode: outcome, notes, nextReviewDate };
      return { request: write, write: () => context.services.writers.umis.recordPlanReview(write) };
    });
  },

  recordAppointmentOutcome: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordAppointmentOutcome';
    const key = idempotencyKey(args.idempotencyKey);
    const { outcome } = args;
    if (outcome.attendance === 'NOT_YET_DUE') {
      throw new InvalidFieldError('outcome.attendance', 'outcome.attendance must say what happened: ATTENDED, FAILED_TO_ATTEND or ACCEPTABLE_ABSENCE', 'INVALID_VALUE');
    }
    const appointmentId = requiredText('outcome.appointmentId', outcome.appointmentId, 20);
    const { attendance } = outcome;
    return writeForPerson(context, { coordinate, idempotencyKey: key, system: 'YOIS', recordType: 'YOIS appointment outcome', inputName: 'outcome' }, args.personId, (personSourceId) => {
      const request = { personSourceId, appointmentId, attendance };
      // The clock is not part of what defines the write: a retry later is the same write.
      return { request, write: () => context.services.writers.yois.recordAppointmentOutcome({ ...request, now: now(context).toISOString() }) };
    });
  },

  recordOrderProgressNote: async (_parent, args, context) => {
    const coordinate = 'Mutation.recordOrderProgressNote';
    const key = idempotencyKey(args.idempotencyKey);
    const { note } = args;
    const orderId = requiredText('note.orderId', note.orderId, 20);
    const noteDate = pastDate('note.noteDate', note.noteDate, now(context));
    const text = requiredText('note.text', note.text, MAX_NOTE);
    return writeForPerson(context, { coordinate, idempotencyKey: key, system: 'YOIS', recordType: 'YOIS order progress note', inputName: 'note' }, args.personId, (personSourceId) => {
      const write = { personSourceId, orderId, noteDate, text, workerName: context.principal.name };
      return { request: write, write: () => context.services.writers.yois.recordOrderNote(write) };
    });
  },

  uploadDocument: async (_parent, args, context) => {
    const coordinate = 'Mutation.uploadDocument';
    const key = idempotencyKey(args.idempotencyKey);
    const { document } = args;
    const title = requiredText('document.title', document.title, 200);
    const documentType = requiredText('document.documentType', document.documentType, 20);
    const tier = intInRange('document.classificationTier', document.classificationTier, 1, 3)! as 1 | 2 | 3;
    if (tier > context.authz.tier) {
      throw new ForbiddenError(`You may not file a document classified tier ${tier}: your roles reach tier ${context.authz.tier}`, 'CLASSIFIED_ABOVE_CLEARANCE');
    }
    const contentType = document.contentType.trim().toLowerCase();
    if (!DOCUMENT_CONTENT_TYPES.has(contentType)) {
      throw new InvalidFieldError('document.contentType', `document.contentType ${contentType.slice(0, 80)} is not allowed; use one of ${[...DOCUMENT_CONTENT_TYPES].join(', ')}`, 'CONTENT_TYPE_NOT_ALLOWED');
    }
    const encoded = document.contentBase64.replace(/\s+/g, '');
    if (!BASE64.test(encoded)) throw new InvalidFieldError('document.contentBase64', 'document.contentBase64 is not base64', 'INVALID_VALUE');
    const content = Buffer.from(encoded, 'base64');
    if (content.length === 0) throw new InvalidFieldError('document.contentBase64', 'The document is empty', 'REQUIRED');
    const max = context.services.config.documentUploadMaxBytes;
    if (content.length > max) throw new InvalidFieldError('document.contentBase64', `The document is ${content.length} bytes; the limit is ${max}`, 'TOO_LARGE');
    // Filing tier-2/3 material states why, as reading it does.
    requirePurposeAbove1(context, tier, `A document classified tier ${tier}`);
    const person = await visibleWriteTarget(context, coordinate, args.personId, tier);
    const reachable = person.records.filter((r) => SYSTEM_TIER[r.system] <= context.authz.tier);
    const subject = subjectPreference(tier).flatMap((system) => reachable.filter((r) => r.system === system))[0]!;
    const write = {
      subject: { system: subject.system, sourceId: subject.sourceId },
      title,
      documentTypeCode: documentType,
      classificationTier: tier,
      contentType,
      content,
      authorLogin: context.principal.sub.slice(0, 100),
      createdAt: now(context).toISOString(),
    };
    return runRecordedWrite(context, {
      coordinate,
      idempotencyKey: key,
      request: { ...write, content: content.toString('base64'), createdAt: undefined },
      personId: person.personId,
      involved: [person.personId],
      system: 'DMS',
      recordType: 'DMS document',
      inputName: 'document',
      write: () => context.services.writers.dms.storeDocument(write),
    });
  },

  registerYoungPerson: async (_parent, args, context) => {
    const coordinate = 'Mutation.registerYoungPerson';
    const key = idempotencyKey(args.idempotencyKey);
    const system = PERSON_SYSTEMS.find((s) => s === args.system);
    if (!system) throw new InvalidFieldError('system', 'system must be IYSS, UMIS or YOIS: the DMS holds documents, not people', 'INVALID_VALUE');
    const tier = SYSTEM_TIER[system];
    if (tier > context.authz.tier) throw new ForbiddenError(`Registering in ${system} requires tier ${tier}; your roles reach tier ${context.authz.tier}`, 'TIER_TOO_LOW');
    requirePurposeAbove1(context, tier, `Registering in ${system}`);
    const person = await visibleWriteTarget(context, coordinate, args.personId, tier);
    const earlier = await earlierResult(context, key, coordinate);
    if (earlier && earlier.system === system && earlier.personId === person.personId) return earlier;
    if (person.records.some((record) => record.system === system)) {
      throw new InvalidFieldError('system', `This young person already has a ${system} record: record against it instead`, 'ALREADY_IN_SYSTEM');
    }
    // The details as this caller sees them: drawn only from records within their clearance.
    const golden = await loadGolden(person, context);
    const details = {
      forename: golden.forename,
      surname: golden.surname,
      knownAs: golden.knownAs,
      dateOfBirth: golden.dateOfBirth,
      gender: golden.gender,
      ethnicity: golden.ethnicity,
      address: golden.address,
      upn: golden.upn,
    };
    const personId = await context.services.identity.place(person.personId);
    const result = await runRecordedWrite(context, {
      coordinate,
      idempotencyKey: key,
      request: { personId, system },
      personId,
      involved: [personId],
      system,
      recordType: `${system} young person`,
      inputName: 'person',
      write: () => context.services.writers[system === 'IYSS' ? 'iyss' : system === 'UMIS' ? 'umis' : 'yois'].registerPerson(details),
    });
    // Linked at once, and again on a retry if the first request registered but could not link.
    const record = { system, sourceId: result.recordId };
    const [holder] = await context.services.persons.personsForRecords([record]);
    if (holder?.personId !== personId) {
      await context.services.identity.confirm(personId, record, context.principal.sub, `Registered in ${system} through the gateway from the golden view`);
    }
    return result;
  },

  changeDemographics: (_parent, args, context) => propagateChange(context, args),
};

export const youngPersonChangeResolvers: Pick<YoungPersonResolvers, 'pendingChanges'> = {
  pendingChanges: (parent, _args, context) => visibleDeliveries(context, parent.personId),
};

export const changeDeliveryResolvers: ChangeDeliveryResolvers = {
  recordId: (parent) => parent.sourceId,
  fields: (parent) => Object.keys(parent.change),
  linkMethod: (parent) => parent.link.method,
};
