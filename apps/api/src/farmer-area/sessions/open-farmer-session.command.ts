import { Command } from '@nestjs/cqrs';

/** A farmer proved itself with its login link: open a session for its browser. Answers the Set-Cookie header. */
export class OpenFarmerSessionCommand extends Command<{ setCookie: string }> {
  constructor(
    readonly launcherId: string,
    readonly userAgent: string | undefined,
    /** The request came over HTTPS (directly or through a trusted proxy): the cookie is Secure. */
    readonly secure: boolean,
  ) {
    super();
  }
}
