/** The per-server task list in local storage (src/app/tasks/task-store.ts). */
import { describe, expect, it } from 'vitest';
import { OUTCOME_CHARS, TASKS_KEPT, isTerminal, loadTasks, outcomeLine, saveTask, type TaskRecord } from '../../src/app/tasks/task-store.ts';
import { memoryStorage } from './memory-storage.ts';

const URL_A = 'https://a.example/mcp';
const task = (n: number, extra: Partial<TaskRecord> = {}): TaskRecord => ({ taskId: `t${n}`, tool: 'long-task', at: 1000 + n, status: 'working', ...extra });

describe('task store', () => {
  it('keeps tasks per server, newest first, replacing by id', () => {
    const s = memoryStorage();
    saveTask(URL_A, task(1), s);
    saveTask(URL_A, task(2), s);
    saveTask(URL_A, task(1, { status: 'completed', outcome: 'done' }), s);
    expect(loadTasks(URL_A, s).map((t) => [t.taskId, t.status])).toEqual([['t2', 'working'], ['t1', 'completed']]);
    expect(loadTasks('https://b.example/mcp', s)).toEqual([]);
  });

  it(`keeps at most ${TASKS_KEPT} tasks and clips long outcomes`, () => {
    const s = memoryStorage();
    for (let i = 0; i < TASKS_KEPT + 5; i++) saveTask(URL_A, task(i), s);
    const list = loadTasks(URL_A, s);
    expect(list).toHaveLength(TASKS_KEPT);
    expect(list[0]!.taskId).toBe(`t${TASKS_KEPT + 4}`);
    saveTask(URL_A, task(999, { outcome: 'x'.repeat(OUTCOME_CHARS * 2) }), s);
    expect(loadTasks(URL_A, s)[0]!.outcome).toHaveLength(OUTCOME_CHARS);
  });

  it('leaves out what is not a task record', () => {
    const s = memoryStorage();
    s.setItem(`keyhole.tasks.${URL_A}`, JSON.stringify([{ taskId: 1 }, task(3), { ...task(4), status: 'bogus' }]));
    expect(loadTasks(URL_A, s).map((t) => t.taskId)).toEqual(['t3']);
    s.setItem(`keyhole.tasks.${URL_A}`, 'not json');
    expect(loadTasks(URL_A, s)).toEqual([]);
  });

  it('says which statuses are terminal and sums up a result in a line', () => {
    expect(['completed', 'failed', 'cancelled'].every((st) => isTerminal(st as TaskRecord['status']))).toBe(true);
    expect(isTerminal('input_required')).toBe(false);
    expect(outcomeLine({ content: [{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: 'b' }] })).toBe('a b');
    expect(outcomeLine({ content: [{ type: 'image' }] })).toBe('image');
    expect(outcomeLine({ content: [], structuredContent: {} })).toBe('Structured content');
  });
});
