// The reference for guarded reads: a minimal Nest 12 app on Fastify whose GET /api/auth/me passes a passport-jwt
// guard (HS256, the same JWT_SECRET as the server's tokens) and answers a profile held in memory: no database, no
// cache, no logger. Prints its URL once listening. Decorators are applied as functions (this file is not compiled).
import 'reflect-metadata';

import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error('JWT_SECRET is required');

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: secret, algorithms: ['HS256'] });
  }

  validate(payload) {
    return { id: Number(payload.sub) };
  }
}
Injectable()(JwtStrategy);

class ProfileController {
  me(request) {
    const { id } = request.user;
    return { id, email: `shop-${id}@example.com`, shop_name: null, role: 'user', email_verified: false };
  }
}
const me = Object.getOwnPropertyDescriptor(ProfileController.prototype, 'me');
Get('me')(ProfileController.prototype, 'me', me);
UseGuards(AuthGuard('jwt'))(ProfileController.prototype, 'me', me);
Req()(ProfileController.prototype, 'me', 0);
Controller('api/auth')(ProfileController);

class ReferenceModule {}
Module({ imports: [PassportModule], controllers: [ProfileController], providers: [JwtStrategy] })(ReferenceModule);

const app = await NestFactory.create(ReferenceModule, new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
console.log(await app.getUrl());
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
