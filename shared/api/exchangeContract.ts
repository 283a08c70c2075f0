/** The bundle, BagIt and CASE/UCO part of the API (spread into `contract` in contract.ts). */
export const exchangeContract = {} as const;
