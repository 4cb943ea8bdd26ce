/**
 * What the page decides about the Tasks extension before loading its code
 * (src/app/tasks/task-support.ts), and the status line of a call answered with a task
 * (src/app/tasks/task-status.ts).
 */
import { describe, expect, it } from 'vitest';
import { taskStatusLine } from '../../src/app/tasks/task-status.ts';
import { saveTask } from '../../src/app/tasks/task-store.ts';
import { hasUnfinishedTasks, speaksTasks, TASKS_EXTENSION } from '../../src/app/tasks/task-support.ts';
import { memoryStorage } from './memory-storage.ts';

const URL_A = 'https://a.example/mcp';

function client(era: 'modern' | 'legacy', extensions?: Record<string, unknown>) {
  return {
    getProtocolEra: () => era,
    getServerCapabilities: () => (extensions ? { extensions } : {}),
  } as unknown as Parameters<typeof speaksTasks>[0];
}

describe('task status line', () => {
  it('says the status and the server’s message, no counter', () => {
    expect(taskStatusLine({ status: 'working', statusMessage: 'Step 3 of 10' })).toBe('Task working: Step 3 of 10');
    expect(taskStatusLine({ status: 'input_required', statusMessage: 'Continue?' })).toBe('Task input required: Continue?');
    expect(taskStatusLine({ status: 'working' })).toBe('Task working');
    expect(taskStatusLine({ status: 'working', statusMessage: '  ' })).toBe('Task working');
  });
});

describe('speaks the Tasks extension', () => {
  it('only on a 2026-07-28 connection whose server declared it', () => {
    expect(speaksTasks(client('modern', { [TASKS_EXTENSION]: {} }))).toBe(true);
    expect(speaksTasks(client('legacy', { [TASKS_EXTENSION]: {} }))).toBe(false);
    expect(speaksTasks(client('modern'))).toBe(false);
    expect(speaksTasks(client('modern', { [TASKS_EXTENSION]: true }))).toBe(false);
    expect(speaksTasks(client('modern', { 'io.modelcontextprotocol/ui': {} }))).toBe(false);
  });
});

describe('unfinished tasks stored', () => {
  it('counts only tasks that had not ended, for this server', () => {
    const s = memoryStorage();
    expect(hasUnfinishedTasks(URL_A, s)).toBe(false);
    saveTask(URL_A, { taskId: 't1', tool: 'long-task', at: 1, status: 'completed', outcome: 'done' }, s);
    saveTask(URL_A, { taskId: 't2', tool: 'long-task', at: 2, status: 'cancelled' }, s);
    expect(hasUnfinishedTasks(URL_A, s)).toBe(false);
    saveTask(URL_A, { taskId: 't3', tool: 'long-task', at: 3, status: 'input_required' }, s);
    expect(hasUnfinishedTasks(URL_A, s)).toBe(true);
    expect(hasUnfinishedTasks('https://b.example/mcp', s)).toBe(false);
  });
});
