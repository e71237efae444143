import { deciderSpecification } from '@pool/testing';
import { payoutsControlDecider } from './payouts-control.decider';

describe('payouts control decider', () => {
  const control = deciderSpecification(payoutsControlDecider);
  const paused = { type: 'PayoutsPaused' as const, data: { reason: 'wallet maintenance', by: 'operator' as const, at: 10 } };
  const byFile = { type: 'PayoutsPaused' as const, data: { reason: 'pause file present', by: 'pause_file' as const, at: 11 } };

  it('pauses and resumes with a reason, and records nothing when that switch is already in that state', () => {
    control.given().when({ type: 'PausePayouts', reason: 'wallet maintenance', by: 'operator', now: 10 }).then([paused]);
    control.given([paused]).when({ type: 'PausePayouts', reason: 'again', by: 'operator', now: 11 }).then([]);
    control.given([paused]).when({ type: 'ResumePayouts', reason: 'done', by: 'operator', now: 12 }).then([{ type: 'PayoutsResumed', data: { reason: 'done', by: 'operator', at: 12 } }]);
    control.given().when({ type: 'ResumePayouts', reason: 'config', by: 'config', now: 12 }).then([]);
    control.given().when({ type: 'PausePayouts', reason: ' ', by: 'operator', now: 10 }).thenThrows('REQUEST_FAILED', /needs a reason/);
  });

  it('records the reason trimmed', () => {
    control.given().when({ type: 'PausePayouts', reason: '  wallet maintenance ', by: 'operator', now: 10 }).then([paused]);
  });

  it('keeps one switch per source: a resume lifts only its own source', () => {
    control.given([paused]).when({ type: 'PausePayouts', reason: 'pause file present', by: 'pause_file', now: 11 }).then([byFile]);
    control
      .given([paused, byFile])
      .when({ type: 'ResumePayouts', reason: 'file removed', by: 'pause_file', now: 12 })
      .thenState((s) => {
        expect(s.paused).toBe(true);
        expect(s.pausedBy).toEqual({ operator: { reason: 'wallet maintenance', at: 10 } });
        expect(s.history.map((e) => [e.type, e.data.by])).toEqual([
          ['PayoutsPaused', 'operator'],
          ['PayoutsPaused', 'pause_file'],
          ['PayoutsResumed', 'pause_file'],
        ]);
      });
    control
      .given([paused])
      .when({ type: 'ResumePayouts', reason: 'done', by: 'operator', now: 12 })
      .thenState((s) => expect(s).toMatchObject({ paused: false, pausedBy: {} }));
  });
});
