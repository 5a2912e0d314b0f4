import { providerContract } from '../../test-utils/provider-contract.js';
import { geminiContractHarness } from '../../test-utils/gemini-harness.js';

providerContract('gemini (interactive) over its fake server', geminiContractHarness('interactive'));
