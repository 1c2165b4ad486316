import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GrantedScopes, parseSystemScope } from './smart-scopes.js';

describe('SMART system scopes', () => {
  it('reads v1 and v2 forms', () => {
    assert.deepEqual(parseSystemScope('system/Patient.read'), { resourceType: 'Patient', letters: 'rs' });
    assert.deepEqual(parseSystemScope('system/*.write'), { resourceType: '*', letters: 'cud' });
    assert.deepEqual(parseSystemScope('system/Task.cu'), { resourceType: 'Task', letters: 'cu' });
    assert.deepEqual(parseSystemScope('system/Observation.rs?category=laboratory'), {
      resourceType: 'Observation',
      letters: 'rs',
    });
    assert.equal(parseSystemScope('system/Task.uc'), undefined); // letters out of order
    assert.equal(parseSystemScope('patient/Patient.read'), undefined);
    assert.equal(parseSystemScope('openid'), undefined);
  });

  it('covers exactly what was granted', () => {
    const g = GrantedScopes.fromString('system/Patient.rs system/Task.c launch');
    assert.equal(g.covers({ resourceType: 'Patient', interaction: 'read' }), true);
    assert.equal(g.covers({ resourceType: 'Patient', interaction: 'update' }), false);
    assert.equal(g.covers({ resourceType: 'Task', interaction: 'create' }), true);
    assert.equal(g.covers({ resourceType: 'Task', interaction: 'read' }), false);
    assert.throws(() => g.require({ resourceType: 'Observation', interaction: 'search' }), {
      code: 'EHR_SCOPE_NOT_GRANTED',
    });
    assert.equal(
      new GrantedScopes(['system/*.*']).covers({ resourceType: 'Observation', interaction: 'delete' }),
      true,
    );
  });
});
