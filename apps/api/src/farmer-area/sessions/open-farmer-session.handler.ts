import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@pool/runtime';
import { LoginSessions } from '../../pool-protocol/authentication/login-session';
import { FarmerSessions } from './farmer-sessions';
import { OpenFarmerSessionCommand } from './open-farmer-session.command';

/** Issues the signed cookie and records its session (hashed) so the farmer can list and end it. */
@CommandHandler(OpenFarmerSessionCommand)
export class OpenFarmerSessionHandler implements ICommandHandler<OpenFarmerSessionCommand> {
  constructor(
    private readonly cookies: LoginSessions,
    private readonly sessions: FarmerSessions,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async execute({ launcherId, userAgent, secure }: OpenFarmerSessionCommand): Promise<{ setCookie: string }> {
    const now = this.now();
    const { value, session } = this.cookies.issue(launcherId, now);
    await this.sessions.open(session, now, userAgent);
    return { setCookie: this.cookies.cookie(value, secure) };
  }
}
