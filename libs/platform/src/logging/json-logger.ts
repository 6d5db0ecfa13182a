import { LoggerService, LogLevel } from '@nestjs/common';
import { currentRequestId } from '../request-context/request-context';

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** Nest's start-up chatter (one line per module and route) is debug detail, not operational news. */
const FRAMEWORK_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'RouterModule']);

/** Structured JSON lines on stdout (stderr for errors), each with the request id when there is one. */
export class JsonLogger implements LoggerService {
  private readonly min: number;

  constructor(level: LogLevel | 'silent' = 'log') {
    this.min = level === 'silent' ? Infinity : ORDER.indexOf(level);
  }

  private write(level: LogLevel, message: unknown, context?: string, extra?: Record<string, unknown>) {
    if (ORDER.indexOf(level) < this.min) return;
    const base = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : { msg: String(message) };
    const line = JSON.stringify({ time: new Date().toISOString(), level, context, requestId: currentRequestId(), ...base, ...extra });
    (level === 'error' || level === 'fatal' ? process.stderr : process.stdout).write(line + '\n');
  }

  log(message: unknown, context?: string) {
    this.write(context && FRAMEWORK_CHATTER.has(context) ? 'debug' : 'log', message, context);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('verbose', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    if (context) this.write('error', message, context, stackOrContext ? { stack: stackOrContext } : undefined);
    else this.write('error', message, stackOrContext);
  }
}
