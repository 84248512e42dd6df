import { AuthGuard } from '@nestjs/passport';

import { JwtAuthGuard } from '../src/auth/guards/jwt-auth.guard';
import { LocalAuthGuard } from '../src/auth/guards/local-auth.guard';

// The design names Passport: strategies are PassportStrategy providers, and the guards are @nestjs/passport's
// AuthGuard of them, so authentication runs the way the library documents it.
describe('authentication through @nestjs/passport', () => {
  it('guards requests with AuthGuard of the jwt and local strategies', () => {
    expect(JwtAuthGuard.prototype).toBeInstanceOf(AuthGuard('jwt'));
    expect(LocalAuthGuard.prototype).toBeInstanceOf(AuthGuard('local'));
  });
});
