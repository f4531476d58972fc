// The records the app shows. A real app fetches them from its API, which filters and masks them on
// the server too: the browser's gate decides what the screen shows, not what the user may obtain.

/** Proposals of organisation `org-1` (and one of another organisation, which nobody here may see). */
export const PROPOSALS = [
  { id: 'p-1', title: 'Pool refit', customer: 'Harbour Hotel', value: 18400, cost: 11200, costBreakdown: 'parts 7,400 · labour 3,800', margin: 0.39, consultantId: 'u-cons', organisationId: 'org-1' },
  { id: 'p-2', title: 'Spa service plan', customer: 'Green Leisure', value: 6200, cost: 4100, costBreakdown: 'labour 4,100', margin: 0.34, consultantId: 'u-other', organisationId: 'org-1' },
  { id: 'p-3', title: 'Filtration upgrade', customer: 'City Baths', value: 9900, cost: 6300, costBreakdown: 'parts 5,100 · labour 1,200', margin: 0.36, consultantId: 'u-cons', organisationId: 'org-1' },
  { id: 'p-9', title: 'Competitor deal', customer: 'Elsewhere Ltd', value: 50000, cost: 30000, costBreakdown: 'n/a', margin: 0.4, consultantId: 'u-cons', organisationId: 'org-2' },
];
