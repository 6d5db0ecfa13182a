import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import {
  ChatMessageResponse,
  ChatSettingsResponse,
  ChatStatusResponse,
  ChatTestDto,
  UpdateChatSettingsDto,
} from '../dto/chat-settings.dto';
import { ChatAdminService } from './chat-admin.service';
import { ChatSettingsService } from './chat-settings.service';

@ApiTags('chat')
@Controller('chat')
export class ChatController {
  constructor(
    private readonly settings: ChatSettingsService,
    private readonly admin: ChatAdminService,
  ) {}

  @ApiOperation({ summary: 'Chat settings: the Slack channel per event type, direct messages on or off, the event types sent to Teams' })
  @Get('settings')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ChatSettingsResponse })
  get(): Promise<ChatSettingsResponse> {
    return this.settings.get();
  }

  @ApiOperation({
    summary: 'Replace the chat settings (audited)',
    description:
      'Every event type of the webhook vocabulary may have a Slack channel (#name or id) and go to Teams. ' +
      '400 on an unknown event type or a malformed channel; 409 STALE_VERSION when the settings changed meanwhile.',
  })
  @Put('settings')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ChatSettingsResponse })
  put(@CurrentUser() actor: AuthUser, @Body() dto: UpdateChatSettingsDto): Promise<ChatSettingsResponse> {
    return this.settings.update(actor, dto);
  }

  @ApiOperation({
    summary: 'How chat is configured (bot, incoming webhook, Teams), the last delivery, and recent failures with Slack’s error',
  })
  @Get('status')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ChatStatusResponse })
  status(): Promise<ChatStatusResponse> {
    return this.admin.status();
  }

  @ApiOperation({
    summary: 'Send a test message to Slack or Teams now; answers how it went (422 CHAT_NOT_CONFIGURED when the target is not set up)',
  })
  @Post('test')
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: ChatMessageResponse })
  test(@Body() dto: ChatTestDto): Promise<ChatMessageResponse> {
    return this.admin.sendTest(dto);
  }
}
