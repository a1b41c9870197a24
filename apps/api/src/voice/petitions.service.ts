import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, PETITION_PROCEDURE_CODE, type StepRole } from '../../../../libs/domain/src';
import { CitizensVoiceStore, DossierStore } from '../../../../libs/persistence/src';
import { type Principal, type Role } from '../auth/principal';
import { DossiersService } from '../dossiers/dossiers.service';
import { type IntakeRequest } from '../dossiers/dto/intake.dto';
import { IntakeService } from '../dossiers/intake.service';
import { OrganisationService } from '../organisation/organisation.service';
import { type DeskPetitionRequest, type PetitionView, type PublicPetitionRequest } from './voice.dto';

/** The roles a unit's head answers in, the procedure's (UNIT_HEAD) first. */
const HEAD_ROLES: StepRole[] = ['UNIT_HEAD', 'AGENCY_LEADER', 'DIVISION_HEAD'];

interface About {
  dossierCode: string | null;
  stepCode: string | null;
  officerId: string | null;
  /** Whose head answers: the unit of the step or officer concerned, else the dossier's receiving unit. */
  responsibleUnitCode: string;
}

/**
 * Feedback and petitions (phản ánh, kiến nghị), run as dossiers of the engine's own petition procedure: the desk's
 * steps stay with the receiving unit, the answer goes to the head of the unit concerned, under the procedure's own
 * deadline; the petitioner is the petition dossier's applicant, anonymised with it by the retention job.
 */
@Injectable()
export class PetitionsService {
  constructor(
    private readonly dossiers: DossiersService,
    private readonly intake: IntakeService,
    private readonly store: CitizensVoiceStore,
    private readonly dossierRows: DossierStore,
    private readonly organisation: OrganisationService,
  ) {}

  /** A petition taken at the desk, about a dossier (a step of it, an officer) or about the unit's service. */
  async fileAtDesk(principal: Principal, request: DeskPetitionRequest): Promise<PetitionView> {
    // The desk's own unit first: a clerk elsewhere learns nothing about the dossier codes it names.
    if (!principal.unitCodes.includes(request.receivingUnitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not receive petitions for unit ${request.receivingUnitCode}; their units are ${principal.unitCodes.join(', ')}.`,
      );
    }
    // The dossier named must be one the clerk may see (the dossier view's rule): one out of scope answers 404 like a
    // code no dossier has, so naming codes tells a desk nothing about other units' dossiers or who held their steps.
    if (request.dossierCode) {
      await this.dossiers.assertVisible(principal, request.dossierCode);
    }
    const dossier = request.dossierCode ? await this.dossierRows.findByCode(request.dossierCode) : null;
    if (request.dossierCode && !dossier) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${request.dossierCode}.`);
    }
    if (request.stepCode && !dossier) {
      throw invalid('stepCode', 'needs the dossierCode of the dossier whose step it is');
    }
    const stepUnit =
      dossier && request.stepCode ? await this.store.stepUnit(dossier.code, request.stepCode) : undefined;
    if (stepUnit === null) {
      throw invalid('stepCode', `must be a step dossier ${dossier?.code} has reached`);
    }
    const officer = request.officer ? await this.organisation.officerActor(request.officer, 'officer') : null;
    const about: About = {
      dossierCode: dossier?.code ?? null,
      stepCode: request.stepCode ?? null,
      officerId: officer?.officerId ?? null,
      responsibleUnitCode: officer?.unitCodes[0] ?? stepUnit ?? dossier?.receivingUnitCode ?? request.receivingUnitCode,
    };
    return (await this.receive(principal, request, request.receivingUnitCode, about, 'IN_PERSON', false)).view;
  }

  /**
   * A petition from the public form, received in the name of the connected-system account: about a dossier whose
   * receipt the petitioner holds (`dossier`: the caller checked its code and PIN), or addressed to a unit's desk. A
   * dossier code given without its PIN binds nothing: the petition is the unit's, and the code stays in its text only.
   */
  async filePublic(
    request: PublicPetitionRequest,
    dossier: { code: string; receivingUnitCode: string } | null,
  ): Promise<PetitionView & { lookupPin: string }> {
    const unit = dossier?.receivingUnitCode ?? request.unitCode;
    if (!unit) {
      throw invalid('unitCode', 'required when the petition is about no dossier (dossierCode with its pin)');
    }
    if ((await this.organisation.units([unit])).length === 0) {
      throw invalid('unitCode', `must be a unit of the organisation (no unit has the code ${unit})`);
    }
    const system = await this.organisation.agencySystemOfficer();
    if (!system) {
      throw new DomainException(
        DomainErrorCode.UNAVAILABLE,
        'No active officer with the AGENCY_SYSTEM role receives public petitions in this deployment.',
      );
    }
    const principal: Principal = {
      officerId: system.id,
      username: system.username,
      fullName: system.fullName,
      roles: system.roles as Role[],
      unitCodes: system.unitCodes,
    };
    const about: About = {
      dossierCode: dossier?.code ?? null,
      stepCode: null,
      officerId: null,
      responsibleUnitCode: unit,
    };
    // A code named without its PIN is the petitioner's word only: the head reads it, no dossier is counted against.
    const named = !dossier && request.dossierCode ? `[Mã hồ sơ được nêu, chưa xác minh: ${request.dossierCode}]\n` : '';
    const { view, pin } = await this.receive(
      principal,
      { ...request, text: `${named}${request.text}` },
      unit,
      about,
      'ONLINE',
      true,
    );
    return { ...view, lookupPin: pin };
  }

  private async receive(
    principal: Principal,
    request: DeskPetitionRequest | PublicPetitionRequest,
    receivingUnit: string,
    about: About,
    channel: IntakeRequest['channel'],
    fromPublic: boolean,
  ): Promise<{ view: PetitionView; pin: string }> {
    const headRole = await this.headRole(about.responsibleUnitCode);
    const p = request.petitioner;
    const petitionIntake: IntakeRequest = {
      procedureCode: PETITION_PROCEDURE_CODE,
      receivingUnitCode: receivingUnit,
      channel,
      // The petitioner's ID number is optional: a petition is answered without one.
      applicant: {
        type: 'INDIVIDUAL',
        idNumber: p.idNumber ?? '',
        name: p.name,
        address: p.address,
        phone: p.phone,
        email: p.email,
      },
      documents: [],
    };
    const { view, pin } = await this.intake.receive(principal, petitionIntake, {
      route: {
        public: fromPublic,
        step: (s) =>
          s.role === 'DESK_CLERK'
            ? { unit: receivingUnit, role: 'DESK_CLERK' }
            : { unit: about.responsibleUnitCode, role: headRole },
      },
      petition: {
        aboutDossierCode: about.dossierCode,
        aboutStepCode: about.stepCode,
        aboutOfficerId: about.officerId,
        responsibleUnitCode: about.responsibleUnitCode,
        text: request.text,
      },
    });
    return {
      view: {
        code: view.code,
        state: view.state,
        aboutDossierCode: about.dossierCode,
        responsibleUnitCode: about.responsibleUnitCode,
        promisedAt: view.promisedAt ?? null,
      },
      pin: pin ?? '',
    };
  }

  /** The role the unit's head holds the answer in (UNIT_HEAD when the unit has no head named: its heads claim it). */
  private async headRole(unitCode: string): Promise<StepRole> {
    const [unit] = await this.organisation.units([unitCode]);
    if (!unit?.head) {
      return 'UNIT_HEAD';
    }
    const head = await this.organisation.officerActor(unit.head.officerId, 'head');
    return HEAD_ROLES.find((r) => head.roles.includes(r)) ?? 'UNIT_HEAD';
  }
}

const invalid = (field: string, message: string): DomainException =>
  new DomainException(DomainErrorCode.VALIDATION_FAILED, `The petition cannot be filed: ${field} ${message}.`, [
    { field, message },
  ]);
