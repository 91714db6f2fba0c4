import type { TenantEventBody, TenantEventSink } from '@ai-org/core';
import { TaskAnnouncer, TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBed } from '../test-bed';
import { DispatchService } from './dispatch.service';

/** The live event of a dispatch: the task as its claim left it, published before its job exists. */
describe('the announcement of a dispatch', () => {
  const bed = createTestBed('dispatch-announce');
  const { driver, queues, tasks, budget } = bed;
  const tenant = bed.newTenant();

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('announces the task queued, with its claim’s fields, before its job is on the queue', async () => {
    await budget.topUp(tenant, 10_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [{ key: 'only', description: 'Announce me once', owner: 'dev', tokensPlan: 2, businessValue: 5 }],
    });
    const taskId = created?.ids.only as string;
    const heard: { event: TenantEventBody; jobExisted: boolean }[] = [];
    const sink: TenantEventSink = {
      publish: async (_tenant, event) => {
        const jobExisted = (await queues.queue(tenant, 'dev').getJob(`${taskId}.1`)) !== undefined;
        heard.push({ event, jobExisted });
      },
    };
    const dispatch = new DispatchService(
      new TaskRunRepository(driver),
      budget,
      queues,
      new TaskAnnouncer(driver, sink),
    );

    await dispatch.dispatch(tenant, taskId);

    expect(heard).toHaveLength(1);
    expect(heard[0]?.jobExisted).toBe(false);
    expect(heard[0]?.event).toEqual({
      kind: 'task',
      task: expect.objectContaining({
        id: taskId,
        description: 'Announce me once',
        status: 'queued',
        statusReason: null,
        owner: 'dev',
        businessValue: 5,
        tokensPlan: 2,
        dependsOn: [],
      }),
    });
    expect(await queues.queue(tenant, 'dev').getJob(`${taskId}.1`)).toBeDefined();
  });
});
