import { providerContract } from '../../test-utils/provider-contract.js';
import { geminiContractHarness } from '../../test-utils/gemini-harness.js';

providerContract('gemini (batch) over its fake server', geminiContractHarness('batch'));
