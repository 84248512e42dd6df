import { BadRequestException, ForbiddenException, Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';

import { AuthService, WRONG_PASSWORD } from '../auth/auth.service';
import { PasswordsService } from '../auth/passwords.service';
import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { RefreshTokensService } from '../auth/refresh-tokens.service';
import { RateLimitedException } from '../common/rate-limited.exception';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { LinkTokenKind, User } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import { MailService } from '../mail/mail.service';
import type { OutgoingMail } from '../mail/mail-outbox.repository';
import { emailChangeMail, emailChangeNotice, passwordResetMail, verificationMail } from '../mail/messages';
import { QuotesRepository } from '../quotes/quotes.repository';
import { hasInvisibleCharacters, normalizeEmail } from '../users/email';
import { toUserProfile, type UserProfileResponse } from '../users/user-profile.response';
import { UsersRepository } from '../users/users.repository';
import { conflictIfEmailTaken } from '../users/users.service';
import type { SessionResponse } from './dto/account.dto';
import { LinkTokensRepository } from './link-tokens.repository';

const VERIFY_HOURS = 24;
const RESET_MINUTES = 30;
const EMAIL_CHANGE_HOURS = 24;
const BAD_LINK = 'The link is unknown, already used or expired: ask for a new one';
/** src/pages serves them when APP_BASE_URL is this server. */
const LINK_PAGES: Record<LinkTokenKind, string> = {
  verify_email: 'verify-email',
  reset_password: 'reset-password',
  change_email: 'confirm-email',
};

@Injectable()
export class AccountsService implements OnModuleInit {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly database: DatabaseService,
    private readonly users: UsersRepository,
    private readonly quotes: QuotesRepository,
    private readonly auth: AuthService,
    private readonly passwords: PasswordsService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly linkTokens: LinkTokensRepository,
    private readonly mail: MailService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.mail.onGiveUp((sql, linkTokenId) => this.linkTokens.void(sql, linkTokenId));
  }

  async requestVerification(user: User): Promise<void> {
    if (user.isProvisional) throw new ForbiddenException('A guest account has no address to verify: register it first');
    await this.limits.consume('accountMailsPerAccount', String(user.id), 'Too many mails asked for; try again later');
    await this.database.transaction((sql) =>
      this.mailLink(sql, user.id, 'verify_email', VERIFY_HOURS * 60, (url) => verificationMail(user.id, user.email, url, VERIFY_HOURS)),
    );
    this.mail.wake();
  }

  async verifyEmail(token: string): Promise<UserProfileResponse> {
    const user = await this.database.transaction(async (sql) => {
      const used = await this.linkTokens.consume(sql, 'verify_email', token);
      if (!used) throw new BadRequestException(BAD_LINK);
      return this.users.markVerified(sql, used.userId);
    });
    return toUserProfile(user);
  }

  /**
   * Answers at once, the same for every email: the lookup and the mail come after the answer. The address's own
   * ceiling only spaces its mails, so nobody else's requests can make the owner's a 429.
   */
  async forgotPassword(email: string, ip: string): Promise<void> {
    const account = normalizeEmail(email);
    await this.limits.consume('passwordForgotPerEmailIp', `${account} ${ip}`, 'Too many reset requests for this address; try again later');
    void this.mailPasswordReset(account).catch((error: unknown) =>
      this.logger.error(`A password reset could not be prepared: ${(error as Error).message}`),
    );
  }

  private async mailPasswordReset(account: string): Promise<void> {
    const user = await this.users.findByEmail(this.database.pool, account);
    if (!user || user.isProvisional || !(await this.spaceResetMail(account))) return;
    await this.database.transaction((sql) =>
      this.mailLink(sql, user.id, 'reset_password', RESET_MINUTES, (url) => passwordResetMail(user.id, user.email, url, RESET_MINUTES)),
    );
    this.mail.wake();
  }

  /** The link of the last mail still works meanwhile. */
  private async spaceResetMail(account: string): Promise<boolean> {
    try {
      await this.limits.consume('passwordResetMailsPerEmail', account);
      return true;
    } catch (error) {
      if (error instanceof RateLimitedException) return false;
      throw error;
    }
  }

  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    const user = await this.database.transaction(async (sql) => {
      const used = await this.linkTokens.consume(sql, 'reset_password', token);
      if (!used) throw new BadRequestException(BAD_LINK);
      await this.users.setPassword(sql, used.userId, passwordHash, true);
      await this.refreshTokens.revokeAllOf(sql, used.userId);
      await this.linkTokens.voidAll(sql, used.userId);
      return this.users.findById(sql, used.userId);
    });
    if (user) await this.auth.clearFailedLogins(user.email);
  }

  /** A wrong current password is a failed login (counted, 401). */
  async changePassword(user: User, currentPassword: string, newPassword: string, sessionId: string, ip: string): Promise<void> {
    await this.auth.verifyCredentials(user.email, currentPassword, ip, WRONG_PASSWORD);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.database.transaction(async (sql) => {
      await this.users.setPassword(sql, user.id, passwordHash, false);
      await this.refreshTokens.revokeAllOf(sql, user.id, sessionId);
      await this.linkTokens.voidAll(sql, user.id);
    });
    await this.auth.clearFailedLogins(user.email);
  }

  async listSessions(user: User, sessionId: string): Promise<SessionResponse[]> {
    return (await this.refreshTokens.listLiveFamilies(user.id)).map((family) => ({ ...family, current: family.id === sessionId }));
  }

  async revokeSession(user: User, familyId: string): Promise<void> {
    if (!(await this.refreshTokens.revokeFamily(user.id, familyId))) throw new NotFoundException('No session of this account has this id');
  }

  async revokeOtherSessions(user: User, sessionId: string): Promise<void> {
    await this.refreshTokens.revokeAllOf(this.database.pool, user.id, sessionId);
  }

  /** Nothing changes until the link is used, and only then is a taken address a 409. */
  async requestEmailChange(user: User, newEmail: string, password: string, ip: string): Promise<void> {
    await this.limits.consume('accountMailsPerAccount', String(user.id), 'Too many mails asked for; try again later');
    await this.auth.verifyCredentials(user.email, password, ip, WRONG_PASSWORD);
    if (hasInvisibleCharacters(newEmail))
      throw new BadRequestException(['new_email holds an invisible character (zero-width, soft hyphen or direction mark)']);
    const address = normalizeEmail(newEmail);
    if (address === user.email) throw new BadRequestException(['new_email is the address the account already has']);
    await this.database.transaction(async (sql) => {
      await this.mailLink(
        sql,
        user.id,
        'change_email',
        EMAIL_CHANGE_HOURS * 60,
        (url) => emailChangeMail(user.id, address, url, EMAIL_CHANGE_HOURS),
        address,
      );
      await this.mail.enqueue(sql, emailChangeNotice(user.id, user.email, address));
    });
    this.mail.wake();
  }

  async confirmEmailChange(token: string): Promise<UserProfileResponse> {
    const user = await this.database.transaction(async (sql) => {
      const used = await this.linkTokens.consume(sql, 'change_email', token);
      if (!used) throw new BadRequestException(BAD_LINK);
      const user = await this.users.changeEmail(sql, used.userId, used.newEmail!).catch(conflictIfEmailTaken);
      await this.linkTokens.voidAll(sql, used.userId);
      return user;
    });
    return toUserProfile(user);
  }

  async deleteAccount(user: User, password: string | undefined, ip: string): Promise<void> {
    if (!user.isProvisional) {
      if (password === undefined) throw new BadRequestException(['password is required: it confirms the deletion of a full account']);
      await this.auth.verifyCredentials(user.email, password, ip, WRONG_PASSWORD);
    }
    await this.database.transaction(async (sql) => {
      // The shop's row lock keeps a quote from being created between the deletes below.
      await this.users.lock(sql, user.id);
      // Quotes do not cascade from their owner; everything else does.
      await this.quotes.deleteQuotesOf(sql, user.id);
      await this.users.delete(sql, user.id);
    });
  }

  private async mailLink(
    sql: SqlClient,
    userId: number,
    kind: LinkTokenKind,
    ttlMinutes: number,
    compose: (url: string) => OutgoingMail,
    newEmail?: string,
  ): Promise<void> {
    const issued = await this.linkTokens.issue(sql, userId, kind, ttlMinutes, newEmail);
    const url = `${this.config.mail.appBaseUrl}/${LINK_PAGES[kind]}?token=${issued.token}`;
    await this.mail.enqueue(sql, { ...compose(url), linkTokenId: issued.id });
  }
}
