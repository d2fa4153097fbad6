import { memoryLedgerStores } from '@spend-alerts/adapters';
import { ledgerContract } from './ledger-contract.ts';

/** The in-memory stores keep the contract the table keeps: the pipeline's unit tests stand on them. */
ledgerContract('memory', async (now) => memoryLedgerStores(now));
