"""Contract texts written for the tests (not taken from any real agreement)."""

SAMPLE_MSA = """MASTER SUBSCRIPTION AGREEMENT

This Master Subscription Agreement (the "Agreement") is entered into as of March 3, 2025 (the \
"Effective Date") by and between Brightline Analytics, Inc., a Delaware corporation \
("Vendor"), and Acme Widgets LLC, a Texas limited liability company ("Customer").

1. DEFINITIONS.
1.1 "Services" means the hosted analytics software provided by Vendor under an Order Form.
1.2 "Fees" means the amounts payable by Customer for the Services.

2. TERM AND RENEWAL.
2.1 Initial Term. This Agreement begins on the Effective Date and continues for an initial \
term of three (3) years.
2.2 Renewal. Thereafter this Agreement renews automatically for successive one (1) year \
periods unless either party gives written notice of non-renewal at least sixty (60) days \
before the end of the then-current term.

3. FEES AND PAYMENT.
3.1 Customer shall pay all Fees within thirty (30) days of the invoice date.
3.2 Vendor may increase the Fees on each anniversary of the Effective Date by up to five \
percent (5%).

4. LIMITATION OF LIABILITY.
4.1 In no event shall either party's aggregate liability arising out of this Agreement exceed \
the Fees paid by Customer in the twelve (12) months preceding the claim. Neither party shall \
be liable for any indirect, incidental or consequential damages.

5. ASSIGNMENT.
5.1 Neither party may assign this Agreement without the prior written consent of the other \
party, except to a successor in a merger or sale of substantially all of its assets.

6. CONFIDENTIALITY.
6.1 Each party shall keep the other party's Confidential Information secret and use it only \
to perform this Agreement.

7. GOVERNING LAW.
7.1 This Agreement shall be governed by and construed in accordance with the laws of the \
State of Delaware, without regard to its conflict of laws principles.

IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.

BRIGHTLINE ANALYTICS, INC.          ACME WIDGETS LLC
By: Jordan Reyes                    By: Sam Okafor
Title: Chief Executive Officer      Title: VP Procurement
"""

SAMPLE_RESELLER = """RESELLER AGREEMENT

This Reseller Agreement is made on June 1, 2024 between Northwind Software Ltd., a company \
organized under the laws of England ("Supplier"), and Zephyr Distribution GmbH ("Reseller").

1. APPOINTMENT. Supplier appoints Reseller as its exclusive reseller of the Products in \
Germany and Austria during the term, and Supplier shall not appoint any other reseller there.

2. TERM. This Agreement has an initial term of two (2) years and shall automatically renew \
for successive one (1) year terms unless either party notifies the other in writing at least \
ninety (90) days prior to expiration.

3. PAYMENT. Reseller shall pay each invoice within forty-five (45) days.

4. GOVERNING LAW. This Agreement is governed by the laws of England and Wales.
"""
