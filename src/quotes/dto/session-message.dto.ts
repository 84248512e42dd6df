import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

export const MESSAGE_ROLES = ['user', 'assistant', 'system'] as const;

/** One message of a session's conversation, appended as `{role, content, at}`. */
export class SessionMessageDto {
  @ApiProperty({ enum: MESSAGE_ROLES })
  @IsIn(MESSAGE_ROLES)
  role: (typeof MESSAGE_ROLES)[number];

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  content: string;
}
