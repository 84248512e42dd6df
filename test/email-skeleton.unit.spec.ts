import { emailSkeletonAtMigration } from '../src/migrations/1764201600031-AddressSkeletonsAndMailGiveUp';
import { emailSkeleton } from '../src/users/email';

describe('address skeletons', () => {
  it("are computed as the AddressSkeletonsAndMailGiveUp migration's frozen copy did", () => {
    const emails = ['alice@example.com', '\u0430lice@example.com', 'rn@example.com', 'a\u200bb@example.com', 'ﬁle@example.com'];
    for (let start = 0; start < 0x30000; start += 64) {
      const local = String.fromCodePoint(
        ...Array.from({ length: 64 }, (_, offset) => start + offset).filter((point) => point < 0xd800 || point > 0xdfff),
      );
      emails.push(`${local}@example.com`);
    }
    for (const email of emails) expect(emailSkeleton(email)).toBe(emailSkeletonAtMigration(email));
  });
});
