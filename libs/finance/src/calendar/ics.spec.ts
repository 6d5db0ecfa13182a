import ICAL from 'ical.js';
import { buildCalendar, escapeText, foldLine } from './ics';

describe('iCalendar writer (RFC 5545)', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.map((part, n) => (n ? part.slice(1) : part)).join('')).toBe(line);
    expect(foldLine('short')).toBe('short');
  });

  it('produces a calendar that a maintained parser reads back exactly', () => {
    const summary = 'Cancel by: Hub, Inc.; "Marketing" – renewal 😀';
    const description = `Contract C-1\nAnnual value: 12,000.00 EUR\n${'long text '.repeat(20)}`;
    const text = buildCalendar({
      name: 'Stackgate renewals',
      description: 'Cancel-by and renewal dates',
      now: new Date('2026-12-04T22:15:00.123Z'),
      events: [
        { uid: 'c1-cancel-by@stackgate', date: '2027-02-28', summary, description, sequence: 3, url: 'https://sg.example/tools/t1' },
      ],
    });
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const calendar = ICAL.Component.fromString(text);
    const [vevent] = calendar.getAllSubcomponents('vevent');
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe('c1-cancel-by@stackgate');
    expect(event.summary).toBe(summary);
    expect(event.description).toBe(description);
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2027-02-28');
    expect(event.endDate.toString()).toBe('2027-03-01');
    expect(vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-12-04T22:15:00Z');
    expect(event.sequence).toBe(3);
  });
});
